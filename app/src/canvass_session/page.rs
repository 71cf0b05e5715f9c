//! Session screens: a volunteer's upcoming sessions with a Sign up button, the seat's
//! sessions for its organisers and team leaders, and one session's page (who signed up,
//! attendance and hours, its walk lists, its calendar file).

use super::{
    get_my_sessions, get_seat_sessions, get_session, AttachWalkList, CancelSessionSignUp, CreateSession,
    MySession, MySessions, RecordSessionAttendance, SeatSessions, SessionDetail, SessionSummary,
    SignUpForSession,
};
use crate::error::AppError;
use crate::layout::{ErrorView, Loading};
use crate::volunteer::Stage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The error of a form's last submission, shown above its fields.
macro_rules! error_of {
    ($action:expr) => {{
        let action = $action;
        move || {
            action.value().get().and_then(Result::err).map(|e: AppError| {
                view! { <p class="error" role="alert">{e.to_string()}</p> }
            })
        }
    }};
}

fn places(s: &SessionSummary) -> String {
    match s.places_left() {
        Some(0) => "Full".to_string(),
        Some(1) => "1 place left".to_string(),
        Some(n) => format!("{n} places left"),
        None => format!("{} signed up", s.signed_up),
    }
}

#[component]
pub fn MySessionsPage() -> impl IntoView {
    let sign_up = ServerAction::<SignUpForSession>::new();
    let cancel = ServerAction::<CancelSessionSignUp>::new();
    let mine =
        Resource::new(move || (sign_up.version().get(), cancel.version().get()), |_| get_my_sessions());
    view! {
        <Title text="Canvass sessions"/>
        <header class="page-head">
            <h1>"Canvass sessions"</h1>
            <p class="lede">"Come out with the team: sign up for a session near you."</p>
        </header>
        {error_of!(sign_up)}
        {error_of!(cancel)}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match mine.await {
                    Ok(mine) => view! { <MySessionsBody mine sign_up cancel/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MySessionsBody(
    mine: MySessions,
    sign_up: ServerAction<SignUpForSession>,
    cancel: ServerAction<CancelSessionSignUp>,
) -> impl IntoView {
    let MySessions { upcoming, seats, teams, organising } = mine;
    view! {
        {(!teams.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="teams-h">
                <h2 id="teams-h">"Your teams"</h2>
                <ul class="plain-list">
                    {teams.into_iter().map(|(gss, id, name)| view! {
                        <li>
                            <strong>{name}</strong> " · "
                            <a href=format!("/seats/{gss}/volunteers?team={id}")>"Volunteers"</a> " · "
                            <a href=format!("/seats/{gss}/sessions")>"Sessions"</a>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!organising.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="org-h">
                <h2 id="org-h">"Seats you organise"</h2>
                <ul class="plain-list">
                    {organising.into_iter().map(|(gss, name)| view! {
                        <li>
                            <strong>{name}</strong> " · "
                            <a href=format!("/seats/{gss}/volunteers")>"Volunteers"</a> " · "
                            <a href=format!("/seats/{gss}/sessions")>"Sessions"</a>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {if upcoming.is_empty() {
            view! { <p class="card">"No sessions are planned in your area yet."</p> }.into_any()
        } else {
            view! {
                <ul class="cards sessions" aria-label="Upcoming sessions">
                    {upcoming.into_iter().map(|m| view! { <SessionCard m sign_up cancel/> }).collect_view()}
                </ul>
            }.into_any()
        }}
        {(!seats.is_empty()).then(|| view! {
            <p class="small">
                {seats.into_iter().map(|(gss, name)| view! {
                    <a class="csv" href=format!("/seats/{gss}/sessions.ics")>"All upcoming sessions in " {name} " (calendar)"</a>
                }).collect_view()}
            </p>
        })}
    }
}

#[component]
fn SessionCard(
    m: MySession,
    sign_up: ServerAction<SignUpForSession>,
    cancel: ServerAction<CancelSessionSignUp>,
) -> impl IntoView {
    let MySession { session: s, signed_up } = m;
    let full = s.is_full();
    view! {
        <li class="card session" data-session=s.id>
            <h3><a href=format!("/sessions/{}", s.id)>{s.title.clone()}</a></h3>
            <p class="when">{s.when()}</p>
            <p>"Meet at " <strong>{s.meeting_point.clone()}</strong></p>
            <p class="muted">{s.seat_name.clone()} " · " {places(&s)}</p>
            {if signed_up {
                view! {
                    <p class="signed-up" role="status"><strong>"✓ You are signed up"</strong></p>
                    <ActionForm action=cancel>
                        <input type="hidden" name="session_id" value=s.id/>
                        <button type="submit" class="button secondary">"Cancel my place"</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <ActionForm action=sign_up>
                        <input type="hidden" name="session_id" value=s.id/>
                        <button type="submit" class="button primary" aria-describedby=full.then(|| format!("full-{}", s.id))>
                            "Sign up"
                        </button>
                        {full.then(|| view! { <span id=format!("full-{}", s.id) class="muted small">" This session is full."</span> })}
                    </ActionForm>
                }.into_any()
            }}
            <p class="small"><a class="csv" href=format!("/sessions/{}/calendar.ics", s.id)>"Add to calendar"</a></p>
        </li>
    }
}

#[component]
pub fn SeatSessionsPage() -> impl IntoView {
    let params = use_params_map();
    let create = ServerAction::<CreateSession>::new();
    let list = Resource::new(move || params.read().get("gss").unwrap_or_default(), get_seat_sessions);
    view! {
        <Title text="Canvass sessions"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <SeatSessionsBody list create/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SessionTable(sessions: Vec<SessionSummary>, caption: &'static str) -> impl IntoView {
    view! {
        <div class="table-wrap sessions-table">
            <table class="data">
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr>
                    <th scope="col">"Session"</th><th scope="col">"When"</th><th scope="col">"Meet at"</th>
                    <th scope="col" class="num">"Signed up"</th><th scope="col" class="num">"Came"</th>
                    <th scope="col" class="num">"Walk lists"</th>
                </tr></thead>
                <tbody>
                    {sessions.into_iter().map(|s| view! {
                        <tr data-session=s.id>
                            <th scope="row"><a href=format!("/sessions/{}", s.id)>{s.title.clone()}</a>
                                {s.team.clone().map(|t| view! { <span class="muted block small">{t}</span> })}</th>
                            <td>{s.when()}</td>
                            <td>{s.meeting_point.clone()}</td>
                            <td class="num">{s.signed_up}{s.capacity.map(|c| format!(" / {c}"))}</td>
                            <td class="num">{s.attended}</td>
                            <td class="num">{s.walk_lists}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn SeatSessionsBody(list: SeatSessions, create: ServerAction<CreateSession>) -> impl IntoView {
    let SeatSessions { gss, seat_name, whole_seat, teams, upcoming, past } = list;
    view! {
        <header class="page-head">
            <p class="eyebrow"><a href=format!("/seats/{gss}/volunteers")>{seat_name} " · volunteers"</a></p>
            <h1>"Canvass sessions"</h1>
            <p class="actions">
                <a class="csv" href=format!("/seats/{gss}/sessions.ics")>"Upcoming sessions (calendar)"</a>
            </p>
        </header>
        <section aria-labelledby="up-h">
            <h2 id="up-h">"Coming up"</h2>
            {if upcoming.is_empty() {
                view! { <p class="card">"No sessions planned."</p> }.into_any()
            } else {
                view! { <SessionTable sessions=upcoming caption="Upcoming sessions, soonest first"/> }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="new-h">
            <h2 id="new-h">"Plan a session"</h2>
            <ActionForm action=create attr:class="form-grid">
                <input type="hidden" name="gss" value=gss.clone()/>
                {error_of!(create)}
                <div class="field wide"><label for="n-title">"Title"</label><input id="n-title" name="title" required value="Saturday canvass"/></div>
                <div class="field"><label for="n-date">"Date"</label><input id="n-date" name="date" type="date" required/></div>
                <div class="field"><label for="n-start">"Starts (UK time)"</label><input id="n-start" name="start" type="time" required value="10:30"/></div>
                <div class="field"><label for="n-end">"Ends"</label><input id="n-end" name="end" type="time" required value="13:30"/></div>
                <div class="field wide"><label for="n-meet">"Meeting point"</label><input id="n-meet" name="meeting_point" required/></div>
                <div class="field"><label for="n-lat">"Latitude"</label><input id="n-lat" name="lat" inputmode="decimal" placeholder="53.5933"/></div>
                <div class="field"><label for="n-lon">"Longitude"</label><input id="n-lon" name="lon" inputmode="decimal" placeholder="-2.2966"/></div>
                <div class="field"><label for="n-cap">"Places"</label><input id="n-cap" name="capacity" type="number" min="1" max="500" value="15"/></div>
                {(!teams.is_empty()).then(|| view! {
                    <div class="field"><label for="n-team">"Team"</label>
                        <select id="n-team" name="team">
                            {whole_seat.then(|| view! { <option value="">"Whole seat"</option> })}
                            {teams.into_iter().map(|t| view! { <option value=t.id>{t.name}</option> }).collect_view()}
                        </select>
                    </div>
                })}
                <button type="submit" class="button primary">"Create session"</button>
            </ActionForm>
        </section>
        <section aria-labelledby="past-h">
            <h2 id="past-h">"Past sessions"</h2>
            {if past.is_empty() {
                view! { <p class="muted">"None yet."</p> }.into_any()
            } else {
                view! { <SessionTable sessions=past caption="Past sessions, latest first"/> }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
pub fn SessionPage() -> impl IntoView {
    let params = use_params_map();
    let sign_up = ServerAction::<SignUpForSession>::new();
    let cancel = ServerAction::<CancelSessionSignUp>::new();
    let attendance = ServerAction::<RecordSessionAttendance>::new();
    let attach = ServerAction::<AttachWalkList>::new();
    let key = move || {
        (
            params.read().get("id").and_then(|v| v.parse::<i64>().ok()),
            sign_up.version().get(),
            cancel.version().get(),
            attendance.version().get(),
            attach.version().get(),
        )
    };
    let detail = Resource::new(key, |(id, _, _, _, _)| async move {
        match id {
            Some(id) => get_session(id).await,
            None => Err(AppError::NotFound("That canvass session".into())),
        }
    });
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <SessionBody detail sign_up cancel attendance attach/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SessionBody(
    detail: SessionDetail,
    sign_up: ServerAction<SignUpForSession>,
    cancel: ServerAction<CancelSessionSignUp>,
    attendance: ServerAction<RecordSessionAttendance>,
    attach: ServerAction<AttachWalkList>,
) -> impl IntoView {
    let SessionDetail {
        session: s,
        walk_lists,
        can_manage,
        started,
        signups,
        addable,
        me,
        map_svg,
        attachable,
    } = detail;
    let id = s.id;
    let coords = s.lat.zip(s.lon).map(|(lat, lon)| format!("{lat:.5}, {lon:.5}"));
    let map = s.map_link();
    let default_hours = (s.hours() * 2.0).round() / 2.0;
    let back = if can_manage { format!("/seats/{}/sessions", s.gss) } else { "/sessions".to_string() };
    view! {
        <Title text=s.title.clone()/>
        <header class="page-head">
            <p class="eyebrow"><a href=back>{s.seat_name.clone()} " · canvass sessions"</a></p>
            <h1>{s.title.clone()}</h1>
            <p class="lede when">{s.when()}</p>
            {s.team.clone().map(|t| view! { <p class="muted">"Team: " {t}</p> })}
        </header>
        <section class="card meeting" aria-labelledby="meet-h">
            <div class="meeting-text">
                <h2 id="meet-h">"Where to meet"</h2>
                <p class="meeting-point"><strong>{s.meeting_point.clone()}</strong></p>
                {coords.map(|c| view! { <p class="muted">"Coordinates: " <span class="coords">{c}</span></p> })}
                {map.map(|m| view! { <p><a href=m rel="noopener noreferrer">"Open the meeting point on a map"</a></p> })}
                <p class="small"><a class="csv" href=format!("/sessions/{id}/calendar.ics")>"Add to calendar (.ics)"</a></p>
            </div>
            {map_svg.map(|svg| view! { <figure class="meeting-figure" inner_html=svg></figure> })}
        </section>
        <ul class="stats">
            <li class="stat"><span class="stat-n" data-stat="signed-up">{s.signed_up}</span><span class="stat-label">"Signed up"</span></li>
            <li class="stat"><span class="stat-n">{s.capacity.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</span><span class="stat-label">"Places"</span></li>
            <li class="stat"><span class="stat-n" data-stat="attended">{s.attended}</span><span class="stat-label">"Came"</span></li>
            <li class="stat"><span class="stat-n">{s.walk_lists}</span><span class="stat-label">"Walk lists"</span></li>
        </ul>
        {me.map(|(_, signed)| view! {
            <section class="card" aria-labelledby="me-h">
                <h2 id="me-h">"Your place"</h2>
                {error_of!(sign_up)}
                {error_of!(cancel)}
                {match (signed, started) {
                    (true, false) => view! {
                        <p role="status"><strong>"✓ You are signed up."</strong></p>
                        <ActionForm action=cancel>
                            <input type="hidden" name="session_id" value=id/>
                            <button type="submit" class="button secondary">"Cancel my place"</button>
                        </ActionForm>
                    }.into_any(),
                    (true, true) => view! { <p><strong>"✓ You signed up for this session."</strong></p> }.into_any(),
                    (false, false) => view! {
                        <p>{places(&s)}</p>
                        <ActionForm action=sign_up>
                            <input type="hidden" name="session_id" value=id/>
                            <button type="submit" class="button primary">"Sign up"</button>
                        </ActionForm>
                    }.into_any(),
                    (false, true) => view! { <p class="muted">"This session has started; sign-up is closed."</p> }.into_any(),
                }}
            </section>
        })}
        <section class="card" aria-labelledby="lists-h">
            <h2 id="lists-h">"Walk lists"</h2>
            {if walk_lists.is_empty() {
                view! { <p class="muted">"No walk lists are attached to this session yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {walk_lists.into_iter().map(|l| view! {
                            <li>{l.name} " · " {l.doors} " doors" {(l.status != "active").then(|| format!(" · {}", l.status))}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!attachable.is_empty()).then(|| view! {
                <ActionForm action=attach attr:class="form-grid">
                    <input type="hidden" name="session_id" value=id/>
                    {error_of!(attach)}
                    <div class="field"><label for="attach-list">"Add a walk list"</label>
                        <select id="attach-list" name="walk_list_id">
                            {attachable.into_iter().map(|c| view! { <option value=c.id>{c.name}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button secondary">"Attach walk list"</button>
                </ActionForm>
            })}
        </section>
        {can_manage.then(|| view! {
            <section class="card" aria-labelledby="who-h">
                <h2 id="who-h">{if started { "Who came" } else { "Who is coming" }}</h2>
                {error_of!(attendance)}
                {error_of!(sign_up)}
                {if signups.is_empty() {
                    view! { <p class="muted">"No one has signed up yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="signups" aria-label="Signed up">
                            {signups.into_iter().map(|v| {
                                let name = format!("{} {}", v.first_name, v.surname);
                                let stage = Stage::parse(&v.stage).map(Stage::label).unwrap_or("");
                                let hours = v.hours.unwrap_or(default_hours).to_string();
                                view! {
                                    <li class="signup" data-volunteer=v.volunteer_id data-attended=v.attended.to_string()>
                                        <span class="who-line">
                                            <a href=format!("/volunteers/{}", v.volunteer_id)>{name.clone()}</a>
                                            <span class="muted small">" · " {stage}</span>
                                            {v.attended.then(|| view! { <span class="tag ready">"✓ came, " {v.hours.map(|h| h.to_string()).unwrap_or_default()} " h"</span> })}
                                            {(v.recorded && !v.attended).then(|| view! { <span class="tag quiet">"did not come"</span> })}
                                        </span>
                                        {if started {
                                            view! {
                                                <ActionForm action=attendance attr:class="attendance" attr:aria-label=format!("Attendance of {name}")>
                                                    <input type="hidden" name="session_id" value=id/>
                                                    <input type="hidden" name="volunteer_id" value=v.volunteer_id/>
                                                    <label class="choice inline"><input type="checkbox" name="attended" checked=v.attended || !v.recorded/>"Came"</label>
                                                    <label for=format!("h-{}", v.volunteer_id)>"Hours"</label>
                                                    <input id=format!("h-{}", v.volunteer_id) class="hours" name="hours" inputmode="decimal" value=hours/>
                                                    <button type="submit" class="button secondary">"Save"</button>
                                                </ActionForm>
                                            }.into_any()
                                        } else {
                                            view! {
                                                <ActionForm action=cancel>
                                                    <input type="hidden" name="session_id" value=id/>
                                                    <input type="hidden" name="volunteer_id" value=v.volunteer_id/>
                                                    <button type="submit" class="button secondary small-button" aria-label=format!("Remove {name}")>"Remove"</button>
                                                </ActionForm>
                                            }.into_any()
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                {(!addable.is_empty()).then(|| view! {
                    <ActionForm action=sign_up attr:class="form-grid">
                        <input type="hidden" name="session_id" value=id/>
                        <div class="field"><label for="add-v">{if started { "Someone else who came" } else { "Sign someone up" }}</label>
                            <select id="add-v" name="volunteer_id">
                                {addable.into_iter().map(|c| view! { <option value=c.id>{c.name}</option> }).collect_view()}
                            </select>
                        </div>
                        <button type="submit" class="button secondary">"Add to this session"</button>
                    </ActionForm>
                })}
            </section>
        })}
    }
    .into_any()
}
