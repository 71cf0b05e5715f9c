//! The permission matrix: every route and server function, called as every role, on an
//! object inside the caller's patch and on one outside it. A route the server answers
//! that has no row here fails the test, so nothing new ships unchecked.

use app::auth::users::{self, NewUser, Patch};
use app::auth::Role;
use groundwork_tests::*;
use reqwest::header::{ACCEPT, LOCATION};
use serde_json::json;
use std::collections::BTreeSet;
use std::io::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Volunteer,
    TeamLeader,
    Organiser,
    Regional,
    Admin,
}
use Who::*;

mod fields;
mod fixture;
mod handlers;
mod matrix;
use fields::*;
use fixture::*;
const EVERYONE: [Who; 6] = [Anonymous, Volunteer, TeamLeader, Organiser, Regional, Admin];

const TEAM_LEADER: &str = "team.leader@example.org";

/// Who may call a route.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Anyone, signed in or not (sign-in, health).
    Public,
    /// Any signed-in user (their own things only).
    SignedIn,
    /// These roles, whatever object is asked for (the route filters by patch itself).
    Roles(&'static [Who]),
    /// These roles on an object in their patch; on an object outside it, admins only.
    Scoped(&'static [Who]),
}

const STAFF: &[Who] = &[Admin, Regional, Organiser];
const ADMINS: &[Who] = &[Admin];
const SEAT_STAFF: &[Who] = &[Admin, Organiser];
const AT_THE_DOOR: &[Who] = &[Admin, Organiser, TeamLeader, Volunteer];
/// Those who look after volunteers: a team leader for their own team.
const LEADERS: &[Who] = &[Admin, Organiser, TeamLeader];
/// Those who come to canvass sessions, and those who run them.
const CANVASSERS: &[Who] = &[Admin, Organiser, TeamLeader, Volunteer];
/// Polling day's phone pages: the seat's staff, and a volunteer given a station or a room
/// (the demo's volunteer is; the fixture's team leader is not).
const POLL_HELPERS: &[Who] = &[Admin, Organiser, Volunteer];
/// A region's polling-day figures: admins, and regional staff for their own region.
const REGION_STAFF: &[Who] = &[Admin, Regional];

/// The objects the calls name: one set in everyone's patch (the demo seat, the list the
/// volunteer and team leader are on), one set outside it (another region's seat).
struct Objects {
    gss: &'static str,
    /// The seat's region, as its polling-day path names it.
    region: &'static str,
    seat: i64,
    list: i64,
    door: i64,
    elector: i64,
    /// A volunteer's account on the seat.
    user: i64,
    /// A volunteer record (in the team leader's team, inside) and a canvass session.
    volunteer: i64,
    session: i64,
    /// A live invitation (it has no patch of its own to be inside or outside of).
    code: String,
}

struct Fixture {
    inside: Objects,
    outside: Objects,
}

#[derive(Debug)]
enum Call {
    Get(String),
    Form(String, Vec<(&'static str, String)>),
    Json(String, serde_json::Value),
    Upload(String),
}

type MakeCall = fn(&Objects) -> Call;

struct Row {
    route: &'static str,
    rule: Rule,
    call: MakeCall,
}

fn form(path: &str, fields: &[(&'static str, String)]) -> Call {
    Call::Form(path.to_string(), fields.to_vec())
}

fn entry(o: &Objects) -> serde_json::Value {
    json!({ "id": uuid::Uuid::new_v4().to_string(), "walk_list_id": o.list, "household_id": o.door, "result": "not_in" })
}

/// The matrix. Calls that change things are made so that a permitted caller gets past
/// the permission check and stops at validation (erasure without its confirmation), or
/// makes a harmless change (a "not in" knock with a fresh id).
fn matrix() -> Vec<Row> {
    // Order matters: later rows change what earlier ones find (the last take the list back).
    let mut rows = matrix::pages_and_server_functions();
    rows.extend(handlers::rows());
    rows
}

on_both_databases! {
    async fn permissions_every_route_as_every_role_inside_and_outside_the_patch(backend) {
        let app = TestApp::with_demo(backend).await.expect("app");
        let fx = fixture(&app).await;
        let rows = matrix();

        // Coverage: every route the server answers has a row, and every row a route.
        let served: BTreeSet<String> = groundwork::inventory().into_iter().collect();
        let listed: BTreeSet<String> = rows.iter().map(|r| r.route.to_string()).collect();
        let missing: Vec<_> = served.difference(&listed).collect();
        let stale: Vec<_> = listed.difference(&served).collect();
        assert!(missing.is_empty(), "routes with no row in the permission matrix: {missing:?}");
        assert!(stale.is_empty(), "rows for routes the server does not answer: {stale:?}");

        let mut browsers = Vec::new();
        for who in EVERYONE {
            browsers.push((who, browser_for(&app, who).await));
        }
        let mut wrong = Vec::new();
        let mut checks = 0;
        let mut planted_seen: BTreeSet<&str> = BTreeSet::new();
        for row in &rows {
            let scopes: &[bool] = if matches!(row.rule, Rule::Scoped(_)) { &[true, false] } else { &[true] };
            for &inside in scopes {
                let objects = if inside { &fx.inside } else { &fx.outside };
                for (who, browser) in browsers.iter_mut() {
                    let public = matches!(row.rule, Rule::Public);
                    let (got, body) = send(&app, browser, (row.call)(objects), public).await.unwrap_or_else(|e| panic!("{e}"));
                    // Signing in or out changes the session: sign in afresh for the next row.
                    if SESSION_ROUTES.contains(&row.route) {
                        *browser = browser_for(&app, *who).await;
                    }
                    let want = allowed(row.rule, *who, inside);
                    let who = *who;
                    checks += 1;
                    let place = if inside { "inside" } else { "outside" };
                    if got != want {
                        wrong.push(format!("{} as {who:?} {place} the patch: {}", row.route,
                            if got { "allowed, should be refused" } else { "refused, should be allowed" }));
                    }
                    // Absence: no name, address or note the caller is not meant to see.
                    planted_seen.extend(CANARIES.iter().filter(|c| body.contains(c.2)).map(|c| c.2));
                    for leak in leaks(row.route, row.rule, who, inside, &body) {
                        wrong.push(format!("{} as {who:?} {place} the patch shows {leak}", row.route));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "{} wrong answers:\n{}", wrong.len(), wrong.join("\n"));
        // The absence checks can fail: each planted value is shown where it is meant to be.
        let unseen: Vec<_> = CANARIES.iter().map(|c| c.2).filter(|t| !planted_seen.contains(t)).collect();
        assert!(unseen.is_empty(), "planted values no permitted answer showed: {unseen:?}");
        let _ = writeln!(
            std::io::stderr(),
            "permission matrix ({backend:?}): {} of {} routes and server functions covered (100%), {checks} calls checked",
            listed.len(),
            served.len()
        );
        app.stop().await;
    }
}
