//! The screens for data-subject requests: find the person, then their whole record,
//! with a JSON copy to send them and the erasure form.

use super::{get_subject_access, search_electors, EraseElector, SubjectAccess, ERASURE_REASONS};
use crate::doorstep::result_label;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ElectorsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let gss = move || params.read().get("gss").unwrap_or_default();
    let q = move || query.read().get("q").unwrap_or_default();
    let hits = Resource::new(
        move || (gss(), q()),
        |(gss, q)| async move {
            if q.trim().is_empty() {
                Ok(None)
            } else {
                search_electors(gss, q).await.map(Some)
            }
        },
    );
    view! {
        <Title text="Find an elector"/>
        <header class="page-head">
            <p class="eyebrow"><a href=move || format!("/seats/{}", gss())>"Seat"</a></p>
            <h1>"Find an elector"</h1>
            <p class="lede">"For a subject access or erasure request. Each search is on the audit log."</p>
        </header>
        <form class="filters" method="get">
            <label>"Name, elector number or postcode"
                <input type="search" name="q" value=q minlength="2" required autocomplete="off"/>
            </label>
            <button type="submit" class="button primary">"Search"</button>
        </form>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match hits.await {
                    Ok(None) => ().into_any(),
                    Ok(Some(hits)) if hits.is_empty() => view! { <p class="card">"Nobody on this seat's register matches."</p> }.into_any(),
                    Ok(Some(hits)) => view! {
                        <div class="table-wrap"><table class="data">
                            <caption class="visually-hidden">"Electors found"</caption>
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Number"</th><th scope="col">"Address"</th></tr></thead>
                            <tbody>
                                {hits.into_iter().map(|h| view! {
                                    <tr>
                                        <td><a href=format!("/electors/{}", h.id)>{h.name}</a></td>
                                        <td>{h.number}</td>
                                        <td>{h.address} " " {h.postcode.unwrap_or_default()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ElectorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
    // The erasure sends the browser to `?erased=1`: keyed on that too, the record is read
    // again then, so a hydrated page never goes on showing the person it has just erased.
    let record = Resource::new(move || (id(), query.read().get("erased")), |(id, _)| get_subject_access(id));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match record.await {
                    Ok(sar) => view! { <Record sar/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Record(sar: SubjectAccess) -> impl IntoView {
    let erase = ServerAction::<EraseElector>::new();
    let error = move || erase.value().get().and_then(Result::err);
    let r = sar.register;
    let id = r.id;
    let erased = r.erased_at.is_some();
    let name = if erased {
        "Erased elector".to_string()
    } else {
        [r.title.clone(), Some(r.first_name.clone()), r.middle_names.clone(), Some(r.surname.clone())]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let fields = [
        ("Seat", Some(r.seat)),
        ("Elector number", (!erased).then_some(r.elector_number)),
        ("Address", Some(r.address)),
        ("Postcode", r.postcode),
        ("Property reference (UPRN)", r.uprn),
        ("Polling district", r.polling_district),
        ("Franchise markers", Some(r.markers).filter(|m| !m.is_empty())),
        ("Date of birth", r.date_of_birth.map(|d| d.format("%-d %B %Y").to_string())),
        ("Attainment date", r.attainment_date.map(|d| d.format("%-d %B %Y").to_string())),
        ("Left the register", r.left_register.map(|d| d.format("%-d %B %Y").to_string())),
        ("Erased", r.erased_at.map(|d| d.format("%-d %B %Y at %H:%M").to_string())),
    ];
    view! {
        <Title text="Subject access"/>
        <header class="page-head">
            <p class="eyebrow">"Everything Groundwork holds on one elector · "
                {sar.generated_at.format("%-d %B %Y, %H:%M UTC").to_string()}</p>
            <h1>{name}</h1>
            {erased.then(|| view! { <p class="card success" role="status">"This person's data has been erased."</p> })}
            <p class="actions no-print">
                <a class="button secondary" href=format!("/electors/{id}/subject-access.json") download>"Download as JSON"</a>
            </p>
        </header>
        <section class="card" aria-labelledby="register-h">
            <h2 id="register-h">"On the electoral register"</h2>
            <dl class="facts">
                {fields.into_iter().filter_map(|(k, v)| v.map(|v| view! { <dt>{k}</dt><dd>{v}</dd> })).collect_view()}
            </dl>
        </section>
        <section class="card" aria-labelledby="conv-h">
            <h2 id="conv-h">"Doorstep conversations"</h2>
            {if sar.conversations.is_empty() {
                view! { <p>"None recorded."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th scope="col">"When"</th><th scope="col">"About"</th><th scope="col">"What happened"</th>
                            <th scope="col">"Voting intention"</th><th scope="col">"Said or inferred"</th>
                            <th scope="col" class="num">"Firmness"</th><th scope="col">"Notes"</th>
                        </tr></thead>
                        <tbody>
                            {sar.conversations.into_iter().map(|c| view! {
                                <tr>
                                    <td>{c.made_at.format("%-d %b %Y %H:%M").to_string()}</td>
                                    <td>{c.about}</td>
                                    <td>{result_label(&c.result)}</td>
                                    <td>{c.intention.unwrap_or_default()}</td>
                                    <td>{c.intention_source.map(|s| if s == "said" { "Said by the voter" } else { "Canvasser's impression" }).unwrap_or_default()}</td>
                                    <td class="num">{c.firmness.map(|f| f.to_string()).unwrap_or_default()}</td>
                                    <td>{c.notes.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
        {(!sar.details.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="details-h">
                <h2 id="details-h">"Issues, answers, follow-ups and flags"</h2>
                <div class="table-wrap"><table class="data">
                    <thead><tr><th scope="col">"When"</th><th scope="col">"What"</th><th scope="col">"Detail"</th><th scope="col">"Status"</th></tr></thead>
                    <tbody>
                        {sar.details.into_iter().map(|d| view! {
                            <tr>
                                <td>{d.made_at.format("%-d %b %Y %H:%M").to_string()}</td>
                                <td>{d.kind}</td><td>{d.what}</td><td>{d.status.unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            </section>
        })}
        {(!sar.turnout_history.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="turnout-h">
                <h2 id="turnout-h">"Turnout history"</h2>
                <p class="muted">"From each election's marked register: whether they voted, not how."</p>
                <ul class="plain-list">
                    {sar.turnout_history.into_iter().map(|t| view! {
                        <li data-turnout=t.election.clone()>
                            {if t.voted { "Voted in " } else { "Did not vote in " }} {t.election.clone()}
                            " (" {t.election_date.format("%-d %B %Y").to_string()} ")"
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!sar.reviewed_entries.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="reviewed-h">
                <h2 id="reviewed-h">"Doorstep entries an organiser was asked to check"</h2>
                <p class="muted">"Held until confirmed, flagged, or rejected: a rejected entry counts nowhere, but is still kept."</p>
                <div class="table-wrap"><table class="data">
                    <thead><tr><th scope="col">"When"</th><th scope="col">"What happened"</th><th scope="col">"Voting intention"</th>
                        <th scope="col">"Notes"</th><th scope="col">"Why it was checked"</th><th scope="col">"Status"</th></tr></thead>
                    <tbody>
                        {sar.reviewed_entries.into_iter().map(|r| view! {
                            <tr>
                                <td>{r.made_at.format("%-d %b %Y %H:%M").to_string()}</td>
                                <td>{result_label(&r.result)}</td>
                                <td>{r.intention.unwrap_or_default()}</td>
                                <td>{r.notes.unwrap_or_default()}</td>
                                <td>{if r.held && r.reasons.is_empty() { "every entry is checked".to_string() } else { r.reasons }}</td>
                                <td>{r.status}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            </section>
        })}
        {(!sar.volunteer_records.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="vol-h">
                <h2 id="vol-h">"Volunteer records made from their answers"</h2>
                <div class="table-wrap"><table class="data">
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Phone"</th>
                        <th scope="col">"Stage"</th><th scope="col">"Made"</th></tr></thead>
                    <tbody>
                        {sar.volunteer_records.into_iter().map(|v| view! {
                            <tr>
                                <td>{v.first_name} " " {v.surname}</td><td>{v.email.unwrap_or_default()}</td>
                                <td>{v.phone.unwrap_or_default()}</td><td>{v.stage}</td>
                                <td>{v.created_at.format("%-d %b %Y").to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            </section>
        })}
        <section class="card" aria-labelledby="lists-h">
            <h2 id="lists-h">"Walk lists their door was on"</h2>
            {if sar.walk_lists.is_empty() {
                view! { <p>"None."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {sar.walk_lists.into_iter().map(|w| view! { <li>{w.name} " (" {w.created_at.format("%-d %b %Y").to_string()} ")"</li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="log-h">
            <h2 id="log-h">"Who has seen or changed this record"</h2>
            <p class="muted">"Every view, download, print and change of their record, their door or a list their door was on, before this view (which is now on the log too)."</p>
            <div class="table-wrap"><table class="data access-log">
                <thead><tr><th scope="col">"When (UTC)"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"Record"</th><th scope="col">"Why"</th></tr></thead>
                <tbody>
                    {sar.access_log.into_iter().map(|a| view! {
                        <tr><td>{a.at.format("%-d %b %Y %H:%M").to_string()}</td><td>{a.who.unwrap_or_default()}</td><td>{a.action}</td><td>{a.what}</td><td>{a.reason.unwrap_or_default()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table></div>
        </section>
        {(!erased).then(|| view! {
            <section class="card danger-zone no-print" aria-labelledby="erase-h">
                <h2 id="erase-h">"Erase this person's data"</h2>
                <p>"Removes their name, number, date of birth, notes and the canvassers' positions everywhere, held doorstep entries and the seat's uploaded register files included (and the address, if nobody else on the register lives there); closes their open follow-ups. Counts on the dashboards do not change. This cannot be undone, and a later register import leaves them out."</p>
                {move || error().map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
                <ActionForm action=erase>
                    <input type="hidden" name="id" value=id/>
                    <label>"Why"
                        <select name="reason" required>
                            <option value="">"Choose a reason"</option>
                            {ERASURE_REASONS.iter().map(|(code, label)| view! { <option value=*code>{*label}</option> }).collect_view()}
                        </select>
                    </label>
                    <p class="muted">"Keep the request itself (the letter or email) where your campaign keeps correspondence, not here: a reason typed here could hold the very name being erased."</p>
                    <label class="check"><input type="checkbox" name="confirm" value="erase" required/>" I have checked this is the right person"</label>
                    <button type="submit" class="button danger">"Erase"</button>
                </ActionForm>
            </section>
        })}
    }
}
