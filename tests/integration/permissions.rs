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
    vec![
        // Pages.
        Row { route: "GET /login", rule: Rule::Public, call: |_| Call::Get("/login".into()) },
        Row { route: "GET /", rule: Rule::SignedIn, call: |_| Call::Get("/".into()) },
        Row { route: "GET /audit", rule: Rule::Roles(SEAT_STAFF), call: |_| Call::Get("/audit".into()) },
        Row { route: "GET /seats", rule: Rule::Roles(STAFF), call: |_| Call::Get("/seats".into()) },
        Row {
            route: "GET /admin/seats",
            rule: Rule::Roles(ADMINS),
            call: |_| Call::Get("/admin/seats?q=bury".into()),
        },
        Row {
            route: "GET /seats/{gss}",
            rule: Rule::Scoped(STAFF),
            call: |o| Call::Get(format!("/seats/{}", o.gss)),
        },
        Row {
            route: "GET /seats/{gss}/register",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Get(format!("/seats/{}/register", o.gss)),
        },
        Row {
            route: "GET /seats/{gss}/register/{id}",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Get(format!("/seats/{}/register/upload-{}", o.gss, o.seat)),
        },
        Row {
            route: "GET /seats/{gss}/electors",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Get(format!("/seats/{}/electors?q=an", o.gss)),
        },
        Row {
            route: "GET /electors/{id}",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Get(format!("/electors/{}", o.elector)),
        },
        Row { route: "GET /dashboard", rule: Rule::Roles(STAFF), call: |_| Call::Get("/dashboard".into()) },
        Row {
            route: "GET /dashboard/seats/{gss}",
            rule: Rule::Scoped(STAFF),
            call: |o| Call::Get(format!("/dashboard/seats/{}", o.gss)),
        },
        Row {
            route: "GET /dashboard/seats/{gss}/follow-ups",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Get(format!("/dashboard/seats/{}/follow-ups?kind=poster", o.gss)),
        },
        Row {
            route: "GET /walk/{id}",
            rule: Rule::Scoped(AT_THE_DOOR),
            call: |o| Call::Get(format!("/walk/{}", o.list)),
        },
        Row {
            route: "GET /walk/{id}/door/{household_id}",
            rule: Rule::Scoped(AT_THE_DOOR),
            call: |o| Call::Get(format!("/walk/{}/door/{}", o.list, o.door)),
        },
        Row {
            route: "GET /doorstep/review",
            rule: Rule::Roles(SEAT_STAFF),
            call: |_| Call::Get("/doorstep/review".into()),
        },
        Row { route: "GET /people", rule: Rule::Roles(SEAT_STAFF), call: |_| Call::Get("/people".into()) },
        Row { route: "GET /settings", rule: Rule::Roles(ADMINS), call: |_| Call::Get("/settings".into()) },
        Row { route: "GET /invite", rule: Rule::Public, call: |_| Call::Get("/invite".into()) },
        Row {
            route: "GET /invite/{code}",
            rule: Rule::Public,
            call: |o| Call::Get(format!("/invite/{}", o.code)),
        },
        Row { route: "GET /account", rule: Rule::SignedIn, call: |_| Call::Get("/account".into()) },
        Row {
            route: "GET /reset/{code}",
            rule: Rule::Public,
            call: |_| Call::Get("/reset/NOPE-NOPE-NOPE".into()),
        },
        Row {
            route: "GET /seats/{gss}/volunteers",
            rule: Rule::Scoped(LEADERS),
            call: |o| Call::Get(format!("/seats/{}/volunteers", o.gss)),
        },
        Row {
            route: "GET /volunteers/{id}",
            rule: Rule::Scoped(LEADERS),
            call: |o| Call::Get(format!("/volunteers/{}", o.volunteer)),
        },
        Row {
            route: "GET /seats/{gss}/sessions",
            rule: Rule::Scoped(LEADERS),
            call: |o| Call::Get(format!("/seats/{}/sessions", o.gss)),
        },
        Row { route: "GET /sessions", rule: Rule::SignedIn, call: |_| Call::Get("/sessions".into()) },
        Row {
            route: "GET /sessions/{id}",
            rule: Rule::Scoped(CANVASSERS),
            call: |o| Call::Get(format!("/sessions/{}", o.session)),
        },
        // Server functions.
        Row {
            route: "POST /api/doorstep/reviews",
            rule: Rule::Roles(SEAT_STAFF),
            call: |_| form("/api/doorstep/reviews", &[]),
        },
        // A flagged entry already counted: confirming it again is past the check (400).
        Row {
            route: "POST /api/doorstep/decide",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| {
                form(
                    "/api/doorstep/decide",
                    &[("id", format!("review-{}", o.seat)), ("decision", "confirm".into())],
                )
            },
        },
        Row {
            route: "POST /api/volunteers",
            rule: Rule::Scoped(LEADERS),
            call: |o| form("/api/volunteers", &[("gss", o.gss.into())]),
        },
        Row {
            route: "POST /api/volunteer",
            rule: Rule::Scoped(LEADERS),
            call: |o| form("/api/volunteer", &[("id", o.volunteer.to_string())]),
        },
        Row {
            route: "POST /api/volunteer_add",
            rule: Rule::Scoped(LEADERS),
            call: |o| {
                form(
                    "/api/volunteer_add",
                    &[("gss", o.gss.into()), ("first_name", "Pat".into()), ("surname", "Newby".into())],
                )
            },
        },
        Row {
            route: "POST /api/volunteer_stage",
            rule: Rule::Scoped(LEADERS),
            call: |o| {
                form("/api/volunteer_stage", &[("id", o.volunteer.to_string()), ("stage", "regular".into())])
            },
        },
        Row {
            route: "POST /api/volunteer_consent",
            rule: Rule::Scoped(LEADERS),
            call: |o| {
                form(
                    "/api/volunteer_consent",
                    &[
                        ("id", o.volunteer.to_string()),
                        ("sessions", "yes".into()),
                        ("source", "in person".into()),
                    ],
                )
            },
        },
        Row {
            route: "POST /api/team_create",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| {
                form(
                    "/api/team_create",
                    &[("gss", o.gss.into()), ("name", format!("Team {}", uuid::Uuid::new_v4().simple()))],
                )
            },
        },
        Row {
            route: "POST /api/canvass_session_create",
            rule: Rule::Scoped(LEADERS),
            call: |o| {
                form(
                    "/api/canvass_session_create",
                    &[
                        ("gss", o.gss.into()),
                        ("title", "Evening".into()),
                        ("date", "2030-06-01".into()),
                        ("start", "18:00".into()),
                        ("end", "20:00".into()),
                        ("meeting_point", "The green".into()),
                    ],
                )
            },
        },
        Row { route: "POST /api/my_sessions", rule: Rule::SignedIn, call: |_| form("/api/my_sessions", &[]) },
        Row {
            route: "POST /api/seat_sessions",
            rule: Rule::Scoped(LEADERS),
            call: |o| form("/api/seat_sessions", &[("gss", o.gss.into())]),
        },
        Row {
            route: "POST /api/canvass_session",
            rule: Rule::Scoped(CANVASSERS),
            call: |o| form("/api/canvass_session", &[("id", o.session.to_string())]),
        },
        Row {
            route: "POST /api/canvass_session_sign_up",
            rule: Rule::Scoped(CANVASSERS),
            call: |o| form("/api/canvass_session_sign_up", &[("session_id", o.session.to_string())]),
        },
        Row {
            route: "POST /api/canvass_session_cancel",
            rule: Rule::Scoped(CANVASSERS),
            call: |o| form("/api/canvass_session_cancel", &[("session_id", o.session.to_string())]),
        },
        Row {
            route: "POST /api/canvass_session_attendance",
            rule: Rule::Scoped(LEADERS),
            call: |o| {
                form(
                    "/api/canvass_session_attendance",
                    &[("session_id", o.session.to_string()), ("volunteer_id", o.volunteer.to_string())],
                )
            },
        },
        Row {
            route: "POST /api/canvass_session_walk_list",
            rule: Rule::Scoped(LEADERS),
            call: |o| {
                form(
                    "/api/canvass_session_walk_list",
                    &[("session_id", o.session.to_string()), ("walk_list_id", o.list.to_string())],
                )
            },
        },
        Row { route: "POST /api/people", rule: Rule::Roles(SEAT_STAFF), call: |_| form("/api/people", &[]) },
        Row {
            route: "POST /api/invite",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| {
                let email = format!("{}@example.org", uuid::Uuid::new_v4().simple());
                form(
                    "/api/invite",
                    &[
                        ("email", email),
                        ("display_name", "New Person".into()),
                        ("role", "volunteer".into()),
                        ("patch", format!("seat:{}", o.seat)),
                    ],
                )
            },
        },
        // Switching an active account on again: past the check, and harmless.
        Row {
            route: "POST /api/set_active",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form("/api/set_active", &[("user_id", o.user.to_string()), ("active", "true".into())]),
        },
        // The same role and patch again: past the check, and harmless.
        Row {
            route: "POST /api/change_role",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| {
                form(
                    "/api/change_role",
                    &[
                        ("user_id", o.user.to_string()),
                        ("role", "volunteer".into()),
                        ("patch", format!("seat:{}", o.seat)),
                    ],
                )
            },
        },
        Row { route: "POST /api/settings", rule: Rule::Roles(ADMINS), call: |_| form("/api/settings", &[]) },
        // A value it already has: past the check, and nothing changes.
        Row {
            route: "POST /api/save_settings",
            rule: Rule::Roles(ADMINS),
            call: |_| form("/api/save_settings", &[("values[map_tile_attribution]", String::new())]),
        },
        Row {
            route: "POST /api/invitation",
            rule: Rule::Public,
            call: |o| form("/api/invitation", &[("code", o.code.clone())]),
        },
        // Two different passwords: refused before the code is used.
        Row {
            route: "POST /api/accept_invitation",
            rule: Rule::Public,
            call: |o| {
                form(
                    "/api/accept_invitation",
                    &[
                        ("code", o.code.clone()),
                        ("password", "one-password-1".into()),
                        ("password_again", "another-password-2".into()),
                    ],
                )
            },
        },
        Row {
            route: "POST /api/sign_out_everywhere",
            rule: Rule::SignedIn,
            call: |_| form("/api/sign_out_everywhere", &[]),
        },
        // Sign-in hardening. Two different new passwords: past the check, refused before any change.
        Row {
            route: "POST /api/change_password",
            rule: Rule::SignedIn,
            call: |_| {
                form(
                    "/api/change_password",
                    &[
                        ("current_password", "whatever-it-is".into()),
                        ("password", "one-password-1".into()),
                        ("password_again", "another-password-2".into()),
                    ],
                )
            },
        },
        Row {
            route: "POST /api/reset_link",
            rule: Rule::Roles(ADMINS),
            call: |o| form("/api/reset_link", &[("user_id", o.user.to_string())]),
        },
        Row {
            route: "POST /api/password_reset",
            rule: Rule::Public,
            call: |_| form("/api/password_reset", &[("code", "NOPE-NOPE-NOPE".into())]),
        },
        Row {
            route: "POST /api/reset_password",
            rule: Rule::Public,
            call: |_| {
                form(
                    "/api/reset_password",
                    &[
                        ("code", "NOPE-NOPE-NOPE".into()),
                        ("password", "one-password-1".into()),
                        ("password_again", "another-password-2".into()),
                    ],
                )
            },
        },
        // Withdrawing again is harmless; each seat has an invitation of its own.
        Row {
            route: "POST /api/revoke_invitation",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| {
                let email =
                    if o.gss == "E14000611" { "invited@example.org" } else { "far.invited@example.org" };
                form("/api/revoke_invitation", &[("email", email.into())])
            },
        },
        Row {
            route: "POST /api/login",
            rule: Rule::Public,
            call: |_| form("/api/login", &[("email", VOLUNTEER.into()), ("password", PASSWORD.into())]),
        },
        Row { route: "POST /api/logout", rule: Rule::Public, call: |_| form("/api/logout", &[]) },
        Row { route: "POST /api/me", rule: Rule::Public, call: |_| form("/api/me", &[]) },
        Row { route: "POST /api/seats", rule: Rule::Roles(STAFF), call: |_| form("/api/seats", &[]) },
        Row {
            route: "POST /api/seat_catalogue",
            rule: Rule::Roles(ADMINS),
            call: |_| {
                form(
                    "/api/seat_catalogue",
                    &[
                        ("q", "".into()),
                        ("region", "".into()),
                        ("winner", "".into()),
                        ("sort", "swing".into()),
                    ],
                )
            },
        },
        // Adding a seat already held, with no region: harmless.
        Row {
            route: "POST /api/seat_add",
            rule: Rule::Roles(ADMINS),
            call: |o| form("/api/seat_add", &[("gss_code", o.gss.into()), ("region", "".into())]),
        },
        Row {
            route: "POST /api/seat_overview",
            rule: Rule::Scoped(STAFF),
            call: |o| form("/api/seat_overview", &[("gss_code", o.gss.into())]),
        },
        Row {
            route: "POST /api/seat_dashboard",
            rule: Rule::Scoped(STAFF),
            call: |o| form("/api/seat_dashboard", &[("gss_code", o.gss.into())]),
        },
        Row {
            route: "POST /api/seat_follow_ups",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form("/api/seat_follow_ups", &[("gss_code", o.gss.into())]),
        },
        // No follow-up 0 exists: a permitted caller gets past the checks to "no such follow-up".
        Row {
            route: "POST /api/follow_up_done",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form("/api/follow_up_done", &[("gss_code", o.gss.into()), ("id", "0".into())]),
        },
        Row {
            route: "POST /api/league_table",
            rule: Rule::Roles(STAFF),
            call: |_| form("/api/league_table", &[("sort", "majority".into())]),
        },
        Row {
            route: "POST /api/audit_log",
            rule: Rule::Roles(SEAT_STAFF),
            call: |_| form("/api/audit_log", &[]),
        },
        Row {
            route: "POST /api/register_status",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form("/api/register_status", &[("gss", o.gss.into())]),
        },
        Row {
            route: "POST /api/register_upload_preview",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| {
                form(
                    "/api/register_upload_preview",
                    &[("gss", o.gss.into()), ("id", format!("upload-{}", o.seat))],
                )
            },
        },
        // The held file has no layout Groundwork knows: a permitted caller is told so (400).
        Row {
            route: "POST /api/register_commit",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| {
                form("/api/register_commit", &[("gss", o.gss.into()), ("id", format!("upload-{}", o.seat))])
            },
        },
        // Cancelling an upload that is not there is done at once.
        Row {
            route: "POST /api/register_cancel",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form("/api/register_cancel", &[("gss", o.gss.into()), ("id", "no-such-upload".into())]),
        },
        Row {
            route: "POST /api/my_walk_lists",
            rule: Rule::SignedIn,
            call: |_| form("/api/my_walk_lists", &[]),
        },
        Row {
            route: "POST /api/walk_list",
            rule: Rule::Scoped(AT_THE_DOOR),
            call: |o| form("/api/walk_list", &[("id", o.list.to_string())]),
        },
        Row {
            route: "POST /api/walk_door",
            rule: Rule::Scoped(AT_THE_DOOR),
            call: |o| {
                form(
                    "/api/walk_door",
                    &[("walk_list_id", o.list.to_string()), ("household_id", o.door.to_string())],
                )
            },
        },
        Row {
            route: "POST /api/doorstep/batch",
            rule: Rule::Scoped(AT_THE_DOOR),
            call: |o| Call::Json("/api/doorstep/batch".into(), json!({ "entries": [entry(o)] })),
        },
        Row {
            route: "POST /api/doorstep/record",
            rule: Rule::Scoped(AT_THE_DOOR),
            call: |o| {
                let e = entry(o);
                form(
                    "/api/doorstep/record",
                    &[
                        ("id", e["id"].as_str().unwrap_or_default().to_string()),
                        ("walk_list_id", o.list.to_string()),
                        ("household_id", o.door.to_string()),
                        ("result", "not_in".into()),
                    ],
                )
            },
        },
        Row {
            route: "POST /api/elector_search",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form("/api/elector_search", &[("gss", o.gss.into()), ("q", "an".into())]),
        },
        Row {
            route: "POST /api/subject_access",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form("/api/subject_access", &[("id", o.elector.to_string())]),
        },
        Row {
            route: "POST /api/erase_elector",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| {
                form("/api/erase_elector", &[("id", o.elector.to_string()), ("reason", "matrix".into())])
            },
        },
        // Plain handlers.
        Row { route: "GET /health", rule: Rule::Public, call: |_| Call::Get("/health".into()) },
        // Readable from this machine (as the tests are) whoever asks, or elsewhere with
        // the metrics token; a proxied or remote request is refused (tests/integration/load.rs).
        Row { route: "GET /metrics", rule: Rule::Public, call: |_| Call::Get("/metrics".into()) },
        Row { route: "GET /sw.js", rule: Rule::Public, call: |_| Call::Get("/sw.js".into()) },
        Row {
            route: "GET /seats/{gss}/export/{file}",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Get(format!("/seats/{}/export/electors.csv", o.gss)),
        },
        Row {
            route: "GET /electors/{id}/{file}",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Get(format!("/electors/{}/subject-access.json", o.elector)),
        },
        // A volunteer's and an account holder's own data and its erasure: admins only
        // (unconfirmed here, so the matrix erases nothing).
        Row {
            route: "GET /volunteers/{id}/{file}",
            rule: Rule::Roles(ADMINS),
            call: |o| Call::Get(format!("/volunteers/{}/data.json", o.volunteer)),
        },
        Row {
            route: "GET /people/{id}/{file}",
            rule: Rule::Roles(ADMINS),
            call: |o| Call::Get(format!("/people/{}/data.json", o.user)),
        },
        // Their own account's data, from the account page: whoever is signed in.
        Row {
            route: "GET /account/data.json",
            rule: Rule::SignedIn,
            call: |_| Call::Get("/account/data.json".into()),
        },
        Row {
            route: "POST /api/erase_volunteer",
            rule: Rule::Roles(ADMINS),
            call: |o| form("/api/erase_volunteer", &[("id", o.volunteer.to_string())]),
        },
        Row {
            route: "POST /api/erase_account",
            rule: Rule::Roles(ADMINS),
            call: |o| form("/api/erase_account", &[("user_id", o.user.to_string())]),
        },
        Row {
            route: "GET /dashboard/export/league.csv",
            rule: Rule::Roles(STAFF),
            call: |_| Call::Get("/dashboard/export/league.csv".into()),
        },
        Row {
            route: "GET /dashboard/export/{gss}/{table}",
            rule: Rule::Scoped(STAFF),
            call: |o| Call::Get(format!("/dashboard/export/{}/wards.csv", o.gss)),
        },
        // The same route's follow-ups list names electors: not for regional staff.
        Row {
            route: "GET /dashboard/export/{gss}/{table}",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Get(format!("/dashboard/export/{}/follow-ups.csv", o.gss)),
        },
        Row {
            route: "GET /seats/{gss}/volunteers.csv",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Get(format!("/seats/{}/volunteers.csv", o.gss)),
        },
        Row {
            route: "POST /seats/{gss}/volunteers/import",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Upload(format!("/seats/{}/volunteers/import", o.gss)),
        },
        Row {
            route: "POST /volunteers/{id}/edit",
            rule: Rule::Scoped(LEADERS),
            call: |o| {
                form(
                    &format!("/volunteers/{}/edit", o.volunteer),
                    &[("first_name", "Vic".into()), ("surname", "Volunteer".into())],
                )
            },
        },
        Row {
            route: "GET /sessions/{id}/calendar.ics",
            rule: Rule::Scoped(CANVASSERS),
            call: |o| Call::Get(format!("/sessions/{}/calendar.ics", o.session)),
        },
        Row {
            route: "GET /seats/{gss}/sessions.ics",
            rule: Rule::Scoped(CANVASSERS),
            call: |o| Call::Get(format!("/seats/{}/sessions.ics", o.gss)),
        },
        Row {
            route: "POST /seats/{gss}/register/upload",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Upload(format!("/seats/{}/register/upload", o.gss)),
        },
        Row {
            // Stops at validation: no column is mapped, so nothing is checked again.
            route: "POST /seats/{gss}/register/{id}/columns",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| {
                form(
                    &format!("/seats/{}/register/upload-{}/columns", o.gss, o.seat),
                    &[("edition", "full".into())],
                )
            },
        },
        // Turf cutting, last: assigning a list replaces who is on it.
        Row {
            route: "GET /seats/{gss}/map",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Get(format!("/seats/{}/map", o.gss)),
        },
        Row {
            route: "GET /seats/{gss}/map.json",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Get(format!("/seats/{}/map.json", o.gss)),
        },
        Row {
            route: "GET /lists/{id}/print",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Get(format!("/lists/{}/print", o.list)),
        },
        Row { route: "GET /returns", rule: Rule::Roles(SEAT_STAFF), call: |_| Call::Get("/returns".into()) },
        Row {
            route: "GET /returns/{code}",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Get(format!("/returns/C{}", o.list)),
        },
        Row {
            route: "POST /api/turf/overview",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form("/api/turf/overview", &[("gss_code", o.gss.into())]),
        },
        Row {
            route: "POST /api/turf/lists",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form("/api/turf/lists", &[("gss_code", o.gss.into())]),
        },
        Row {
            route: "POST /api/turf/preview",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| {
                Call::Json(
                    "/api/turf/preview".into(),
                    json!({ "gss_code": o.gss, "criteria": { "streets": ["No Such Street"] } }),
                )
            },
        },
        Row {
            route: "POST /api/turf/cut",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| {
                Call::Json(
                    "/api/turf/cut".into(),
                    json!({ "gss_code": o.gss, "criteria": { "streets": ["No Such Street"] } }),
                )
            },
        },
        Row {
            route: "POST /api/turf/assign",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| {
                Call::Json(
                    "/api/turf/assign".into(),
                    json!({ "assignment": { "walk_list_id": o.list, "volunteers": [o.volunteer], "session_id": null, "new_session": null } }),
                )
            },
        },
        Row {
            route: "POST /api/turf/reissue",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Json("/api/turf/reissue".into(), json!({ "walk_list_id": o.list })),
        },
        Row {
            route: "POST /api/turf/sheet",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form("/api/turf/sheet", &[("walk_list_id", o.list.to_string())]),
        },
        Row {
            route: "POST /api/turf/returns_sheet",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form("/api/turf/returns_sheet", &[("code", format!("C{}", o.list))]),
        },
        Row {
            route: "POST /api/turf/save_returns",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form("/api/turf/save_returns", &[("form[walk_list_id]", o.list.to_string())]),
        },
        // Polling day.
        Row {
            route: "GET /seats/{gss}/polling-day",
            rule: Rule::Scoped(STAFF),
            call: |o| Call::Get(format!("/seats/{}/polling-day", o.gss)),
        },
        Row {
            route: "GET /seats/{gss}/polling-day/setup",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Get(format!("/seats/{}/polling-day/setup", o.gss)),
        },
        Row {
            route: "GET /poll/{gss}/telling",
            rule: Rule::Scoped(POLL_HELPERS),
            call: |o| Call::Get(format!("/poll/{}/telling", o.gss)),
        },
        Row {
            route: "GET /poll/{gss}/knock-up",
            rule: Rule::Scoped(POLL_HELPERS),
            call: |o| Call::Get(format!("/poll/{}/knock-up", o.gss)),
        },
        // Who counts as a promise, set to the default again: past the check, and harmless.
        Row {
            route: "POST /seats/{gss}/polling-day/setup",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| {
                form(
                    &format!("/seats/{}/polling-day/setup", o.gss),
                    &[("action", "promises".into()), ("promises", "supporters_and_leaners".into())],
                )
            },
        },
        // No box named: past the check, refused as input.
        Row {
            route: "POST /seats/{gss}/polling-day/counts",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form(&format!("/seats/{}/polling-day/counts", o.gss), &[]),
        },
        // Undoing an entry that does not exist: past the check, and harmless.
        Row {
            route: "POST /poll/{gss}/telling",
            rule: Rule::Scoped(POLL_HELPERS),
            call: |o| {
                form(&format!("/poll/{}/telling", o.gss), &[("action", "undo".into()), ("id", "none".into())])
            },
        },
        // No voter named: past the check, refused as input.
        Row {
            route: "POST /poll/{gss}/knock-up",
            rule: Rule::Scoped(POLL_HELPERS),
            call: |o| form(&format!("/poll/{}/knock-up", o.gss), &[]),
        },
        Row {
            route: "POST /api/polling_day",
            rule: Rule::Scoped(STAFF),
            call: |o| form("/api/polling_day", &[("gss_code", o.gss.into())]),
        },
        Row {
            route: "POST /api/polling_day_setup",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form("/api/polling_day_setup", &[("gss_code", o.gss.into())]),
        },
        Row {
            route: "POST /api/telling",
            rule: Rule::Scoped(POLL_HELPERS),
            call: |o| form("/api/telling", &[("gss_code", o.gss.into())]),
        },
        // An empty batch: past the check, and nothing stored.
        Row {
            route: "POST /api/polling-day/telling",
            rule: Rule::Scoped(POLL_HELPERS),
            call: |o| {
                Call::Json("/api/polling-day/telling".into(), json!({ "gss_code": o.gss, "entries": [] }))
            },
        },
        // Postal votes: regional staff see the counts (the page filters the names).
        Row {
            route: "GET /seats/{gss}/polling-day/postal",
            rule: Rule::Scoped(STAFF),
            call: |o| Call::Get(format!("/seats/{}/polling-day/postal", o.gss)),
        },
        Row {
            route: "POST /api/postal_votes",
            rule: Rule::Scoped(STAFF),
            call: |o| form("/api/postal_votes", &[("gss_code", o.gss.into())]),
        },
        // A file without a surname column: past the check, refused whole, nothing saved.
        Row {
            route: "POST /seats/{gss}/polling-day/postal/import",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Upload(format!("/seats/{}/polling-day/postal/import", o.gss)),
        },
        // No election named: past the check, refused as input.
        Row {
            route: "POST /seats/{gss}/polling-day/marked-register",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| Call::Upload(format!("/seats/{}/polling-day/marked-register", o.gss)),
        },
        // No voter named: past the check, refused as input.
        Row {
            route: "POST /seats/{gss}/polling-day/postal/chase",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form(&format!("/seats/{}/polling-day/postal/chase", o.gss), &[]),
        },
        // An empty batch: past the check, and nothing stored.
        Row {
            route: "POST /api/polling-day/knock-up",
            rule: Rule::Scoped(POLL_HELPERS),
            call: |o| {
                Call::Json("/api/polling-day/knock-up".into(), json!({ "gss_code": o.gss, "results": [] }))
            },
        },
        // A region's polling day: figures only, for admins and the region's regional staff.
        Row {
            route: "GET /regions/{region}/polling-day",
            rule: Rule::Scoped(REGION_STAFF),
            call: |o| Call::Get(format!("/regions/{}/polling-day", o.region)),
        },
        Row {
            route: "GET /regions/{region}/polling-day/wall",
            rule: Rule::Scoped(REGION_STAFF),
            call: |o| Call::Get(format!("/regions/{}/polling-day/wall", o.region)),
        },
        Row {
            route: "POST /api/region_polling_day",
            rule: Rule::Scoped(REGION_STAFF),
            call: |o| form("/api/region_polling_day", &[("region", o.region.replace("%20", " "))]),
        },
        Row {
            route: "POST /api/my_polling_day",
            rule: Rule::SignedIn,
            call: |_| form("/api/my_polling_day", &[]),
        },
        Row {
            route: "POST /api/knock_up",
            rule: Rule::Scoped(POLL_HELPERS),
            call: |o| form("/api/knock_up", &[("gss_code", o.gss.into())]),
        },
        // Taking the list back, very last: unassigning it, then closing it (a second
        // caller is told it is already done: past the check, 400).
        Row {
            route: "POST /api/turf/unassign",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form("/api/turf/unassign", &[("walk_list_id", o.list.to_string())]),
        },
        Row {
            route: "POST /api/turf/close",
            rule: Rule::Scoped(SEAT_STAFF),
            call: |o| form("/api/turf/close", &[("walk_list_id", o.list.to_string())]),
        },
    ]
}

/// Personal fields, planted in the fixture as recognisable synthetic values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Name,
    Address,
    Note,
}
use Field::*;

/// (field, planted inside the patch, text): an elector's surname, their address line and
/// a canvasser's note on a conversation with a call-back, inside and outside the patch.
const CANARIES: [(Field, bool, &str); 6] = [
    (Name, true, "Canarywood"),
    (Address, true, "77 Canary Row"),
    (Note, true, "canary-note-inside"),
    (Name, false, "Farcanary"),
    (Address, false, "9 Outermost Lane"),
    (Note, false, "canary-note-outside"),
];

const NAME_ADDRESS: &[Field] = &[Name, Address];
const EVERYTHING: &[Field] = &[Name, Address, Note];

/// Where a role is meant to see personal fields, when its call is allowed at all: at the
/// door, the doors and who lives there; on the seat's own screens (subject access, the
/// register, walk sheets, follow-ups, review), what the organiser works with. Any route
/// not listed shows none of them to anyone, and nobody but an admin ever sees another
/// patch's.
fn reveals(route: &str) -> (&'static [Who], &'static [Field]) {
    match route {
        "GET /walk/{id}" | "POST /api/walk_list" => (AT_THE_DOOR, &[Address]),
        "GET /walk/{id}/door/{household_id}" | "POST /api/walk_door" => (AT_THE_DOOR, NAME_ADDRESS),
        "GET /electors/{id}" | "POST /api/subject_access" | "GET /electors/{id}/{file}" => {
            (SEAT_STAFF, EVERYTHING)
        }
        "GET /seats/{gss}/electors" | "POST /api/elector_search" => (SEAT_STAFF, NAME_ADDRESS),
        "GET /seats/{gss}/polling-day/postal" | "POST /api/postal_votes" => (SEAT_STAFF, NAME_ADDRESS),
        "GET /seats/{gss}/export/{file}" => (SEAT_STAFF, NAME_ADDRESS),
        "GET /dashboard/seats/{gss}/follow-ups" | "POST /api/seat_follow_ups" => (SEAT_STAFF, EVERYTHING),
        "GET /dashboard/export/{gss}/{table}" => (SEAT_STAFF, EVERYTHING),
        "GET /lists/{id}/print" | "POST /api/turf/sheet" => (SEAT_STAFF, NAME_ADDRESS),
        "GET /returns/{code}" | "POST /api/turf/returns_sheet" => (SEAT_STAFF, NAME_ADDRESS),
        "GET /doorstep/review" | "POST /api/doorstep/reviews" => (SEAT_STAFF, &[Address]),
        // Each entry's record by name (an elector, a door): an organiser's only in their seats.
        "GET /audit" | "POST /api/audit_log" => (SEAT_STAFF, NAME_ADDRESS),
        // Addresses whose postcode is not known, to fix.
        "GET /seats/{gss}/register" | "POST /api/register_status" => (SEAT_STAFF, &[Address]),
        _ => (&[], &[]),
    }
}

/// The planted values a response shows that its caller is not meant to see.
fn leaks(route: &str, rule: Rule, who: Who, inside: bool, body: &str) -> Vec<String> {
    let (roles, fields) = reveals(route);
    let may = |field: Field, planted_inside: bool| {
        allowed(rule, who, inside)
            && roles.contains(&who)
            && fields.contains(&field)
            && (planted_inside || who == Admin)
    };
    CANARIES
        .iter()
        .filter(|(field, planted_inside, text)| body.contains(text) && !may(*field, *planted_inside))
        .map(|(field, planted_inside, text)| {
            format!("{field:?} {text:?} ({})", if *planted_inside { "inside" } else { "outside" })
        })
        .collect()
}

const SESSION_ROUTES: [&str; 3] = ["POST /api/login", "POST /api/logout", "POST /api/sign_out_everywhere"];

fn allowed(rule: Rule, who: Who, inside: bool) -> bool {
    match rule {
        Rule::Public => true,
        Rule::SignedIn => who != Anonymous,
        Rule::Roles(roles) => roles.contains(&who),
        Rule::Scoped(roles) => roles.contains(&who) && (inside || who == Admin),
    }
}

/// Another region's seat with a door, an elector and an active list for someone else.
async fn outside_objects(app: &TestApp) -> Objects {
    let store = &app.store;
    let id = |sql: &'static str| async move {
        let (id,): (i64,) =
            app::on_store!(store, pool => sqlx::query_as(sql).fetch_one(pool).await).expect(sql);
        id
    };
    id("INSERT INTO regions (name) VALUES ('Elsewhere') RETURNING id").await;
    let seat = id("INSERT INTO seats (gss_code, name, region_id, electorate, is_target)
                   SELECT 'E14009999', 'Otherby', id, 40000, TRUE FROM regions WHERE name = 'Elsewhere' RETURNING id")
        .await;
    let door = id("INSERT INTO households (seat_id, address_key, address1, postcode)
                   SELECT id, 'x:1', '1 Far Lane', 'ZZ1 1ZZ' FROM seats WHERE gss_code = 'E14009999' RETURNING id")
        .await;
    let elector = id("INSERT INTO electors (seat_id, household_id, pd_prefix, elector_number, first_name, surname)
                      SELECT seat_id, id, 'ZZ', 1, 'Far', 'Away' FROM households WHERE address_key = 'x:1' RETURNING id")
        .await;
    let list = id("INSERT INTO walk_lists (seat_id, name, status, created_at)
                   SELECT id, 'Far list', 'active', '2026-01-01T00:00:00Z' FROM seats WHERE gss_code = 'E14009999' RETURNING id")
        .await;
    app::on_store!(store, pool => sqlx::query(
        "INSERT INTO walk_list_households (walk_list_id, household_id, position) VALUES ($1, $2, 1)")
        .bind(list).bind(door).execute(pool).await.map(|_| ()))
    .expect("door on list");
    let (user,): (i64,) = app::on_store!(store, pool => sqlx::query_as(
        "INSERT INTO users (email, display_name, password_hash, role, active, created_at)
         VALUES ('far.volunteer@example.org', 'Far Volunteer', 'x', 'volunteer', TRUE, '2026-01-01T00:00:00Z') RETURNING id")
        .fetch_one(pool).await).expect("user");
    users::give_patch(store, user, Patch::Seat(seat)).await.expect("patch");
    let (volunteer,): (i64,) = app::on_store!(store, pool => sqlx::query_as(
        "INSERT INTO volunteers (seat_id, first_name, surname, created_at)
         VALUES ($1, 'Faraway', 'Helper', '2026-01-01T00:00:00Z') RETURNING id")
        .bind(seat).fetch_one(pool).await)
    .expect("volunteer");
    app::on_store!(store, pool => sqlx::query(
        "INSERT INTO invitations (code_hash, email, display_name, role, seat_id, created_at, expires_at)
         VALUES ('far-invitation', 'far.invited@example.org', 'Far Invited', 'volunteer', $1, '2026-01-01T00:00:00Z', '2099-01-01T00:00:00Z')")
        .bind(seat).execute(pool).await.map(|_| ()))
    .expect("an invitation to the far seat");
    let session = canvass_session(app, seat, None).await;
    Objects {
        gss: "E14009999",
        region: "Elsewhere",
        seat,
        list,
        door,
        elector,
        user,
        code: String::new(),
        volunteer,
        session,
    }
}

/// A session a week from now, for one team or for everyone.
async fn canvass_session(app: &TestApp, seat: i64, team: Option<i64>) -> i64 {
    let starts = chrono::Utc::now() + chrono::Duration::days(7);
    let (id,): (i64,) = app::on_store!(&app.store, pool => sqlx::query_as(
        "INSERT INTO canvass_sessions (seat_id, title, starts_at, ends_at, meeting_point, team_id)
         VALUES ($1, 'Saturday canvass', $2, $3, 'The library', $4) RETURNING id")
        .bind(seat).bind(starts).bind(starts + chrono::Duration::hours(2)).bind(team).fetch_one(pool).await)
    .expect("session");
    id
}

async fn fixture(app: &TestApp) -> Fixture {
    let store = &app.store;
    let (seat, list, door, volunteer): (i64, i64, i64, i64) = app::on_store!(store, pool => sqlx::query_as(
        "SELECT wl.seat_id, wl.id, (SELECT household_id FROM walk_list_households WHERE walk_list_id = wl.id ORDER BY position LIMIT 1), v.id
           FROM walk_lists wl JOIN walk_list_assignments a ON a.walk_list_id = wl.id
           JOIN volunteers v ON v.id = a.volunteer_id JOIN users u ON u.id = v.user_id
          WHERE u.email = $1 AND wl.status = 'active' ORDER BY wl.id LIMIT 1")
        .bind(VOLUNTEER).fetch_one(pool).await)
    .expect("the volunteer's list");
    let (elector,): (i64,) = app::on_store!(store, pool => sqlx::query_as(
        "SELECT id FROM electors WHERE household_id = $1 ORDER BY id LIMIT 1").bind(door).fetch_one(pool).await)
    .expect("an elector at the door");
    let mut outside = outside_objects(app).await;
    let (admin, user): (i64, i64) = app::on_store!(store, pool => sqlx::query_as(
        "SELECT (SELECT id FROM users WHERE email = $1), (SELECT id FROM users WHERE email = $2)")
        .bind(ADMIN).bind(VOLUNTEER).fetch_one(pool).await)
    .expect("users");
    let admin = app::auth::CurrentUser {
        id: admin,
        email: ADMIN.into(),
        display_name: "Admin".into(),
        role: Role::Admin,
    };
    let code = app::people::invitations::invite(
        store,
        &admin,
        "invited@example.org",
        "Ivy Invited",
        Role::Volunteer,
        &format!("seat:{seat}"),
        chrono::Utc::now(),
    )
    .await
    .expect("invitation");
    outside.code = code.clone();

    // A team leader on the seat, on the volunteer's list too.
    let leader = users::create(
        store,
        NewUser {
            email: TEAM_LEADER,
            display_name: "Tess Leader",
            password: PASSWORD,
            role: Role::TeamLeader,
        },
    )
    .await
    .expect("team leader");
    users::give_patch(store, leader, Patch::Seat(seat)).await.expect("patch");
    app::on_store!(store, pool => async {
        let (v,): (i64,) = sqlx::query_as(
            "INSERT INTO volunteers (seat_id, user_id, first_name, surname, stage, created_at)
             VALUES ($1, $2, 'Tess', 'Leader', 'team_leader', '2026-01-01T00:00:00Z') RETURNING id")
            .bind(seat).bind(leader).fetch_one(pool).await?;
        sqlx::query("INSERT INTO walk_list_assignments (walk_list_id, volunteer_id) VALUES ($1, $2)")
            .bind(list).bind(v).execute(pool).await.map(|_| ())
    }.await)
    .expect("team leader on the list");
    // They lead the team the demo volunteer is in, and that team's session.
    let (team,): (i64,) = app::on_store!(store, pool => sqlx::query_as(
        "INSERT INTO teams (seat_id, name, leader_user_id, created_at) VALUES ($1, 'North team', $2, '2026-01-01T00:00:00Z') RETURNING id")
        .bind(seat).bind(leader).fetch_one(pool).await).expect("team");
    app::on_store!(store, pool => sqlx::query("UPDATE volunteers SET team_id = $1 WHERE id = $2")
        .bind(team).bind(volunteer).execute(pool).await.map(|_| ()))
    .expect("in the team");
    let session = canvass_session(app, seat, Some(team)).await;

    // Each list has a printed sheet's code, for the paper returns screens.
    for l in [list, outside.list] {
        app::on_store!(store, pool => sqlx::query("UPDATE walk_lists SET code = $1 WHERE id = $2")
            .bind(format!("C{l}")).bind(l).execute(pool).await.map(|_| ()))
        .expect("code");
    }
    // A flagged (not held) doorstep entry on each seat, for the review routes.
    for (s, list, door) in [(seat, list, door), (outside.seat, outside.list, outside.door)] {
        let entry = json!({ "id": format!("review-{s}"), "walk_list_id": list, "household_id": door, "result": "not_in" });
        app::on_store!(store, pool => sqlx::query(
            "INSERT INTO doorstep_reviews (id, seat_id, walk_list_id, household_id, entry, result, reasons, held, made_at, received_at)
             VALUES ($1, $2, $3, $4, $5, 'not_in', '400 m from the address', FALSE, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
            .bind(format!("review-{s}")).bind(s).bind(list).bind(door).bind(entry.to_string())
            .execute(pool).await.map(|_| ()))
        .expect("review");
    }
    // A held register upload on each seat, for the preview routes.
    let preview = serde_json::to_string(&app::register::ImportReport::default()).expect("json");
    for s in [seat, outside.seat] {
        app::on_store!(store, pool => sqlx::query(
            "INSERT INTO register_uploads (id, seat_id, file_name, content, preview, created_at)
             VALUES ($1, $2, 'register.csv', $3, $4, '2026-01-01T00:00:00Z')")
            .bind(format!("upload-{s}")).bind(s).bind(b"Elector Number\n".to_vec()).bind(&preview)
            .execute(pool).await.map(|_| ()))
        .expect("upload");
    }
    plant_canaries(
        app,
        [
            (seat, list, door, elector, true),
            (outside.seat, outside.list, outside.door, outside.elector, false),
        ],
    )
    .await;
    Fixture {
        inside: Objects {
            gss: "E14000611",
            region: "North%20West",
            seat,
            list,
            door,
            elector,
            user,
            code,
            volunteer,
            session,
        },
        outside,
    }
}

/// Gives the elector at each door a recognisable surname and the door a recognisable
/// address, and records a conversation with them with a recognisable note and a call-back.
async fn plant_canaries(app: &TestApp, places: [(i64, i64, i64, i64, bool); 2]) {
    for (seat, list, door, elector, inside) in places {
        let text = |field: Field| {
            CANARIES
                .iter()
                .find(|(f, i, _)| *f == field && *i == inside)
                .map(|(_, _, t)| t.to_string())
                .unwrap_or_default()
        };
        let id = format!("canary-{seat}");
        let at = chrono::Utc::now() - chrono::Duration::days(1);
        app::on_store!(&app.store, pool => async {
            sqlx::query("UPDATE electors SET surname = $1 WHERE id = $2").bind(text(Name)).bind(elector).execute(pool).await?;
            sqlx::query("UPDATE households SET address1 = $1 WHERE id = $2").bind(text(Address)).bind(door).execute(pool).await?;
            sqlx::query("INSERT INTO conversations (id, seat_id, household_id, elector_id, walk_list_id, result, notes, made_at, received_at)
                         VALUES ($1, $2, $3, $4, $5, 'spoke', $6, $7, $7)")
                .bind(&id).bind(seat).bind(door).bind(elector).bind(list).bind(text(Note)).bind(at).execute(pool).await?;
            sqlx::query("INSERT INTO follow_ups (conversation_id, seat_id, household_id, elector_id, kind, status, created_at)
                         VALUES ($1, $2, $3, $4, 'call_back', 'open', $5)")
                .bind(&id).bind(seat).bind(door).bind(elector).bind(at).execute(pool).await.map(|_| ())
        }.await)
        .expect("canaries");
    }
}

async fn browser_for(app: &TestApp, who: Who) -> reqwest::Client {
    let browser = app.new_browser();
    let email = match who {
        Anonymous => return browser,
        Volunteer => VOLUNTEER,
        TeamLeader => TEAM_LEADER,
        Organiser => ORGANISER,
        Regional => REGIONAL,
        Admin => ADMIN,
    };
    let response = app.sign_in_with(&browser, email, PASSWORD).await;
    assert!(response.status().is_redirection(), "{who:?} signs in");
    browser
}

/// Sends the call and says whether it got past the permission checks. A public route
/// has no check to refuse at, so its "not found" (no service worker in a test build)
/// is not a refusal.
async fn send(
    app: &TestApp,
    browser: &reqwest::Client,
    call: Call,
    public: bool,
) -> Result<(bool, String), String> {
    let request = match &call {
        Call::Get(path) => browser.get(app.url(path)).header(ACCEPT, "text/html"),
        Call::Form(path, fields) => browser.post(app.url(path)).form(fields),
        Call::Json(path, body) => browser.post(app.url(path)).json(body),
        Call::Upload(path) => {
            let part = reqwest::multipart::Part::bytes(b"Elector Number\r\n".to_vec()).file_name("r.csv");
            browser.post(app.url(path)).multipart(reqwest::multipart::Form::new().part("file", part))
        }
    };
    let response = request.send().await.map_err(|e| format!("{call:?}: {e}"))?;
    let status = response.status().as_u16();
    let to_login = response
        .headers()
        .get(LOCATION)
        .and_then(|l| l.to_str().ok())
        .is_some_and(|l| l.starts_with("/login"));
    let body = response.text().await.unwrap_or_default();
    match status {
        404 if public => Ok((true, body)),
        401 | 403 | 404 => Ok((false, body)),
        300..=399 if to_login => Ok((false, body)),
        200..=400 => Ok((true, body)),
        _ => Err(format!("{call:?} answered {status}: {body}")),
    }
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
