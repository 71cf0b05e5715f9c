//! One session's page: who signed up, attendance and hours, its walk lists, its calendar
//! file.

use super::places;
use crate::canvass_session::{
    get_session, AttachWalkList, CancelSessionSignUp, RecordSessionAttendance, SessionDetail,
    SignUpForSession,
};
use crate::error::AppError;
use crate::layout::{ErrorView, Loading};
use crate::volunteer::Stage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

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
