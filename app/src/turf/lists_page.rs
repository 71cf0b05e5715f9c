//! The map page's walk lists: a filter (a plain GET form, so it works without
//! JavaScript), one page of matching lists with their actions, and the assignment form,
//! whose volunteers are chosen one at a time from a single select rather than a box each.

use super::list_filter::{ListFilter, ListPage, STATUS_CHOICES};
use super::{Area, Assignment, NewSession, SessionOption, VolunteerOption};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::Form;

/// The filter, as the page's address gives it.
#[component]
pub fn ListFilterForm(
    path: String,
    filter: Memo<ListFilter>,
    wards: Vec<Area>,
    districts: Vec<Area>,
    volunteers: Vec<VolunteerOption>,
) -> impl IntoView {
    let selected = move |now: String, value: String| now == value;
    view! {
        <Form method="GET" action=path.clone()>
            <div class="list-filter">
                <label class="field"><span>"Status"</span>
                    <select name="status">
                        {STATUS_CHOICES.iter().map(|(code, label)| view! {
                            <option value=*code selected=move || selected(filter.get().status, code.to_string())>{*label}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>"Ward or polling district"</span>
                    <select name="area">
                        <option value="">"Anywhere"</option>
                        <optgroup label="Wards">
                            {wards.into_iter().map(|w| {
                                let value = format!("w{}", w.id);
                                let v = value.clone();
                                view! { <option value=value selected=move || selected(filter.get().area, v.clone())>{w.name}</option> }
                            }).collect_view()}
                        </optgroup>
                        <optgroup label="Polling districts">
                            {districts.into_iter().map(|d| {
                                let value = format!("d{}", d.id);
                                let v = value.clone();
                                view! { <option value=value selected=move || selected(filter.get().area, v.clone())>{format!("{} {}", d.code, d.name)}</option> }
                            }).collect_view()}
                        </optgroup>
                    </select>
                </label>
                <label class="field"><span>"Assigned"</span>
                    <select name="assigned">
                        {[("", "Either"), ("yes", "Assigned"), ("no", "Not assigned")].into_iter().map(|(code, label)| view! {
                            <option value=code selected=move || selected(filter.get().assigned, code.to_string())>{label}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>"Volunteer"</span>
                    <select name="volunteer">
                        <option value="">"Anyone"</option>
                        {volunteers.into_iter().map(|v| {
                            let id = v.id;
                            view! { <option value=id selected=move || filter.get().volunteer == Some(id)>{v.name}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <p class="actions">
                <button type="submit" class="button secondary">"Show these lists"</button>
                <a href=path.clone()>"Clear the filter"</a>
            </p>
        </Form>
    }
}

/// "Page 2 of 5": links keep the filter.
#[component]
pub fn ListPager(path: String, filter: ListFilter, page: ListPage) -> impl IntoView {
    let link = move |n: usize| format!("{path}{}", filter.query(n));
    let summary = if page.matching == page.all {
        format!("{} walk lists", page.all)
    } else {
        format!("{} of {} walk lists match", page.matching, page.all)
    };
    let summary = if page.all == 1 { summary.replace("lists", "list") } else { summary };
    view! {
        <nav class="pager" aria-label="Pages of walk lists">
            <p data-matching=page.matching>{summary} {(page.pages > 1).then(|| format!(" · page {} of {}", page.page, page.pages))}</p>
            {(page.page > 1).then(|| view! { <a href=link(page.page - 1) rel="prev">"Previous page"</a> })}
            {(page.page < page.pages).then(|| view! { <a href=link(page.page + 1) rel="next">"Next page"</a> })}
        </nav>
    }
}

#[component]
pub fn AssignForm(
    choices: Vec<(i64, String, i64)>,
    sessions: Vec<SessionOption>,
    volunteers: Vec<VolunteerOption>,
    assign: Action<Assignment, Result<(), AppError>>,
) -> impl IntoView {
    let list = RwSignal::new(choices.first().map(|(id, _, _)| id.to_string()).unwrap_or_default());
    let chosen = RwSignal::new(Vec::<i64>::new());
    let pick = RwSignal::new(String::new());
    let session = RwSignal::new(String::new());
    let title = RwSignal::new("Canvass".to_string());
    let starts = RwSignal::new(String::new());
    let meeting = RwSignal::new(String::new());
    let people = StoredValue::new(volunteers.clone());
    let name_of = move |id: i64| {
        people.with_value(|p| p.iter().find(|v| v.id == id).map(|v| v.name.clone()).unwrap_or_default())
    };
    let add = move |_| {
        if let Ok(id) = pick.get_untracked().parse::<i64>() {
            chosen.update(|c| {
                if !c.contains(&id) {
                    c.push(id);
                }
            });
            pick.set(String::new());
        }
    };
    let submit = move |_| {
        let s = session.get_untracked();
        assign.dispatch(Assignment {
            walk_list_id: list.get_untracked().parse().unwrap_or(0),
            volunteers: chosen.get_untracked(),
            session_id: s.parse().ok(),
            new_session: (s == "new").then(|| NewSession {
                title: title.get_untracked(),
                starts_at: starts.get_untracked(),
                meeting_point: meeting.get_untracked(),
            }),
        });
    };
    view! {
        <section class="card" aria-labelledby="assign-h">
            <h2 id="assign-h">"Assign a list"</h2>
            <div class="assign-grid">
                <label class="field"><span>"Walk list"</span>
                    <select name="walk_list" bind:value=list>
                        {choices.into_iter().map(|(id, name, doors)| view! {
                            <option value=id.to_string()>{format!("{name} ({doors} doors)")}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>"Canvass session"</span>
                    <select name="session" bind:value=session>
                        <option value="">"Leave as it is"</option>
                        <option value="new">"A new session…"</option>
                        {sessions.into_iter().map(|s| view! {
                            <option value=s.id.to_string()>
                                {format!("{} · {} · {}", s.title, s.starts_at.format("%a %-d %b %H:%M"), s.meeting_point)}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <Show when=move || session.get() == "new">
                <fieldset class="assign-grid">
                    <legend>"New session"</legend>
                    <label class="field"><span>"Title"</span><input type="text" name="session_title" bind:value=title/></label>
                    <label class="field"><span>"Date and time"</span><input type="datetime-local" name="session_starts" bind:value=starts/></label>
                    <label class="field"><span>"Meeting point"</span><input type="text" name="meeting_point" bind:value=meeting/></label>
                </fieldset>
            </Show>
            <fieldset>
                <legend>"Volunteers"</legend>
                <div class="volunteer-pick">
                    <label class="field"><span>"Add a volunteer"</span>
                        <select name="volunteer_pick" bind:value=pick>
                            <option value="">"Choose a volunteer…"</option>
                            {volunteers.into_iter().map(|v| view! {
                                <option value=v.id.to_string()>
                                    {match v.email { Some(e) => format!("{} ({e})", v.name), None => v.name }}
                                </option>
                            }).collect_view()}
                        </select>
                    </label>
                    <button type="button" class="button secondary" on:click=add>"Add"</button>
                </div>
                <ul class="chosen-volunteers" aria-label="Volunteers to give the list to" aria-live="polite">
                    {move || {
                        let ids = chosen.get();
                        if ids.is_empty() {
                            return view! { <li class="muted">"Nobody yet."</li> }.into_any();
                        }
                        ids.into_iter().map(|id| {
                            let name = name_of(id);
                            view! {
                                <li data-chosen=id>{name.clone()} " "
                                    <button type="button" class="button secondary small" aria-label=format!("Remove {name}")
                                        on:click=move |_| chosen.update(|c| c.retain(|x| *x != id))>"Remove"</button>
                                </li>
                            }
                        }).collect_view().into_any()
                    }}
                </ul>
            </fieldset>
            <p class="actions"><button type="button" class="button primary" on:click=submit>"Assign"</button></p>
            <div aria-live="polite">
                {move || assign.value().get().map(|r| match r {
                    Ok(()) => view! { <p class="card success" role="status">"The list is assigned."</p> }.into_any(),
                    Err(e) => view! { <p class="card notice" role="alert">{e.to_string()}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}
