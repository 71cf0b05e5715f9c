//! The matrix's rows for the plain axum handlers, turf cutting and polling day, after
//! the pages and server functions (matrix.rs): the last rows take the shared list back.

use super::*;

pub(super) fn rows() -> Vec<Row> {
    vec![
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
