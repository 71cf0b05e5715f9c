//! One volunteer's page: their details, their steps up the ladder, consent and sessions.

use super::date;
use crate::error::AppError;
use crate::layout::{ErrorView, Loading};
use crate::volunteer::{
    availability_label, get_volunteer, heard_from_label, MoveVolunteerStage, Purpose, RecordVolunteerConsent,
    Stage, VolunteerDetail, DAYS, HEARD_FROM, TIMES,
};
use chrono::Utc;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn stage_label(code: &str) -> &'static str {
    Stage::parse(code).map(Stage::label).unwrap_or("Prospect")
}

#[component]
pub fn VolunteerPage() -> impl IntoView {
    let params = use_params_map();
    let stage = ServerAction::<MoveVolunteerStage>::new();
    let consent = ServerAction::<RecordVolunteerConsent>::new();
    let key = move || {
        (
            params.read().get("id").and_then(|v| v.parse::<i64>().ok()),
            stage.version().get(),
            consent.version().get(),
        )
    };
    let detail = Resource::new(key, |(id, _, _)| async move {
        match id {
            Some(id) => get_volunteer(id).await,
            None => Err(AppError::NotFound("That volunteer".into())),
        }
    });
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <VolunteerBody detail stage consent/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn VolunteerBody(
    detail: VolunteerDetail,
    stage: ServerAction<MoveVolunteerStage>,
    consent: ServerAction<RecordVolunteerConsent>,
) -> impl IntoView {
    let query = use_query_map();
    let notice = move || {
        let q = query.read();
        if let Some(e) = q.get("error") {
            Some(view! { <p class="card notice" role="alert">{e}</p> }.into_any())
        } else {
            q.get("saved").map(|_| view! { <p class="card success" role="status">"Saved."</p> }.into_any())
        }
    };
    let current: Vec<(Purpose, Option<(bool, String)>)> = Purpose::ALL
        .into_iter()
        .map(|p| {
            let c = detail.consent(p).map(|c| {
                let by = c.recorded_by.clone().map(|b| format!(" by {b}")).unwrap_or_default();
                (c.given, format!("{}{by}, {}", date(c.recorded_at), c.source))
            });
            (p, c)
        })
        .collect();
    let attended = detail.attended();
    let VolunteerDetail {
        gss,
        seat_name,
        volunteer: v,
        stages,
        consents,
        sessions,
        wards,
        teams,
        can_change_team,
        can_download,
    } = detail;
    let id = v.id;
    let name = format!("{} {}", v.first_name, v.surname);
    let here = v.stage();
    let availability = v.availability();
    let since = stages.first().map(|s| date(s.at));
    let today = crate::canvass_session::uk_time::local(Utc::now()).date().format("%Y-%m-%d").to_string();
    view! {
        <Title text=name.clone()/>
        <header class="page-head">
            <p class="eyebrow"><a href=format!("/seats/{gss}/volunteers")>{seat_name} " · volunteers"</a></p>
            <h1>{name.clone()}</h1>
            <p class="lede">
                <span class="badge stage" data-stage=here.as_str()>{here.label()}</span>
                {since.map(|d| view! { " since " {d} })}
                " · " {attended} {if attended == 1 { " session attended" } else { " sessions attended" }}
            </p>
            {v.met_at.clone().map(|door| view! {
                <p>"Met on the doorstep at " <strong>{door}</strong> ", and said they would like to help."</p>
            })}
            {can_download.then(|| view! {
                <p class="actions no-print">
                    <a class="button secondary" href=format!("/volunteers/{id}/data.json") download>
                        "Download their data"
                    </a>
                </p>
            })}
        </header>
        {notice}
        <div class="two-col">
        <section class="card" aria-labelledby="details-h">
            <h2 id="details-h">"Details"</h2>
            <form class="form-grid" method="post" action=format!("/volunteers/{id}/edit")>
                <div class="field"><label for="e-first">"First name"</label><input id="e-first" name="first_name" value=v.first_name.clone() required/></div>
                <div class="field"><label for="e-last">"Surname"</label><input id="e-last" name="surname" value=v.surname.clone() required/></div>
                <div class="field"><label for="e-email">"Email"</label><input id="e-email" name="email" type="email" value=v.email.clone().unwrap_or_default()/></div>
                <div class="field"><label for="e-phone">"Phone"</label><input id="e-phone" name="phone" type="tel" value=v.phone.clone().unwrap_or_default()/></div>
                <div class="field"><label for="e-ward">"Home ward"</label>
                    <select id="e-ward" name="ward_id">
                        <option value="">"—"</option>
                        {wards.into_iter().map(|w| view! { <option value=w.id selected=v.ward_id == Some(w.id)>{w.name}</option> }).collect_view()}
                    </select>
                </div>
                {can_change_team.then(|| view! {
                    <div class="field"><label for="e-team">"Team"</label>
                        <select id="e-team" name="team_id">
                            <option value="">"No team"</option>
                            {teams.into_iter().map(|t| view! { <option value=t.id selected=v.team_id == Some(t.id)>{t.name}</option> }).collect_view()}
                        </select>
                    </div>
                })}
                <fieldset class="availability">
                    <legend>"Available"</legend>
                    <table class="grid-table">
                        <thead><tr><td></td>{TIMES.iter().map(|(_, l)| view! { <th scope="col">{*l}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {DAYS.iter().map(|(d, dl)| view! {
                                <tr>
                                    <th scope="row">{*dl}</th>
                                    {TIMES.iter().map(|(t, _)| {
                                        let code = format!("{d}_{t}");
                                        let label = availability_label(&code);
                                        let checked = availability.contains(&code);
                                        view! { <td><input type="checkbox" name="availability" value=code aria-label=label checked=checked/></td> }
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </fieldset>
                <label class="choice inline"><input type="checkbox" name="drives" checked=v.drives/>"Drives (can give lifts)"</label>
                <div class="field"><label for="e-lang">"Languages besides English"</label><input id="e-lang" name="languages" value=v.languages.clone() placeholder="e.g. Urdu, Polish"/></div>
                <div class="field"><label for="e-skills">"Skills"</label><input id="e-skills" name="skills" value=v.skills.clone() placeholder="e.g. phone banking, data entry"/></div>
                <div class="field"><label for="e-needs">"Needs"</label><input id="e-needs" name="needs" value=v.needs.clone() placeholder="e.g. can't do stairs"/></div>
                <div class="field"><label for="e-heard">"How they heard of us"</label>
                    <select id="e-heard" name="heard_from">
                        <option value="">"—"</option>
                        {HEARD_FROM.iter().map(|(c, l)| view! { <option value=*c selected=v.heard_from == *c>{*l}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field wide"><label for="e-notes">"Notes"</label><textarea id="e-notes" name="notes" rows="3" maxlength="4000">{v.notes.clone()}</textarea></div>
                <button type="submit" class="button primary">"Save details"</button>
            </form>
        </section>
        <div>
        <section class="card" aria-labelledby="ladder-h">
            <h2 id="ladder-h">"Ladder of engagement"</h2>
            <ol class="steps">
                {stages.into_iter().map(|s| view! {
                    <li>
                        <strong>{stage_label(&s.stage)}</strong> " · " {date(s.at)}
                        {s.recorded_by.map(|b| view! { <span class="muted">" · " {b}</span> })}
                        {s.note.map(|n| view! { <span class="muted block">{n}</span> })}
                    </li>
                }).collect_view()}
            </ol>
            <ActionForm action=stage attr:class="form-grid">
                <input type="hidden" name="id" value=id/>
                {error_of!(stage)}
                <div class="field"><label for="s-stage">"Move to"</label>
                    <select id="s-stage" name="stage">
                        {Stage::ALL.into_iter().filter(|s| *s != here).map(|s| view! {
                            <option value=s.as_str() selected=here.next() == Some(s)>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field"><label for="s-on">"On"</label><input id="s-on" name="on" type="date" value=today/></div>
                <div class="field wide"><label for="s-note">"Note"</label><input id="s-note" name="note" placeholder="e.g. agreed to lead the Ramsbottom team"/></div>
                <button type="submit" class="button secondary">"Record the step"</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="consent-h">
            <h2 id="consent-h">"Consent to be contacted"</h2>
            <ul class="plain-list">
                {current.iter().map(|(p, c)| view! {
                    <li>
                        {p.label()} ": "
                        {match c {
                            Some((true, how)) => view! { <strong>"Yes"</strong> <span class="muted">" (" {how.clone()} ")"</span> }.into_any(),
                            Some((false, how)) => view! { <strong>"No"</strong> <span class="muted">" (" {how.clone()} ")"</span> }.into_any(),
                            None => view! { <span class="muted">"not asked"</span> }.into_any(),
                        }}
                    </li>
                }).collect_view()}
            </ul>
            <ActionForm action=consent attr:class="stack">
                <input type="hidden" name="id" value=id/>
                {error_of!(consent)}
                <fieldset class="choices">
                    <legend>"They agree to be contacted about"</legend>
                    {current.iter().map(|(p, c)| {
                        let given = matches!(c, Some((true, _)));
                        view! { <label class="choice"><input type="checkbox" name=p.as_str() checked=given/>{p.label()}</label> }
                    }).collect_view()}
                </fieldset>
                <label for="c-source">"How they told us"</label>
                <input id="c-source" name="source" required placeholder="e.g. in person at the session, by email"/>
                <button type="submit" class="button secondary">"Record their answer"</button>
            </ActionForm>
            {(!consents.is_empty()).then(|| view! {
                <details>
                    <summary>"History"</summary>
                    <ul class="plain-list small">
                        {consents.into_iter().map(|c| view! {
                            <li>
                                {date(c.recorded_at)} ": " {Purpose::parse(&c.purpose).map(Purpose::label).unwrap_or("")}
                                " — " {if c.given { "yes" } else { "no" }} " (" {c.source}
                                {c.recorded_by.map(|b| format!(", recorded by {b}"))} ")"
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </section>
        <section class="card" aria-labelledby="sessions-h">
            <h2 id="sessions-h">"Sessions"</h2>
            {if sessions.is_empty() {
                view! { <p class="muted">"Not signed up for any session yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {sessions.into_iter().map(|s| view! {
                            <li>
                                <a href=format!("/sessions/{}", s.session_id)>{s.title}</a> " · " {date(s.starts_at)} " · "
                                {if s.attended {
                                    format!("came, {} hours", s.hours.map(|h| format!("{h}")).unwrap_or_else(|| "?".into()))
                                } else {
                                    "signed up".to_string()
                                }}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <p class="muted small">"Heard of us: " {if v.heard_from.is_empty() { "not recorded".to_string() } else { heard_from_label(&v.heard_from).to_string() }} " · added " {date(v.created_at)}</p>
        </section>
        </div>
        </div>
    }
    .into_any()
}
