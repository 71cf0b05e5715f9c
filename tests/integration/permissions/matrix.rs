//! The matrix's rows for pages and server functions (the plain handlers' are in
//! handlers.rs).

use super::*;

pub(super) fn pages_and_server_functions() -> Vec<Row> {
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
    ]
}
