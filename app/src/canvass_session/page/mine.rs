//! A volunteer's upcoming sessions, each with a Sign up (or Cancel) button.

use super::places;
use crate::canvass_session::{get_my_sessions, CancelSessionSignUp, MySession, MySessions, SignUpForSession};
use crate::error::AppError;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::Title;

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
