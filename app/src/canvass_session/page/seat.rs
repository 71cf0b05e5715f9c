//! A seat's sessions for its organisers and team leaders, and the form for a new one.

use crate::canvass_session::{get_seat_sessions, CreateSession, SeatSessions, SessionSummary};
use crate::error::AppError;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

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
