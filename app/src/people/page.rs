//! The people screen (invite, switch off), the page an invitation link opens, and the
//! account page with "sign out everywhere".

use super::{
    get_invitation, get_people, AcceptInvitation, ChangeRole, Invite, PeopleView, SetActive,
    SignOutEverywhere,
};
use crate::layout::{ErrorView, Loading, Session};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn PeoplePage() -> impl IntoView {
    let invite = ServerAction::<Invite>::new();
    let set_active = ServerAction::<SetActive>::new();
    let change_role = ServerAction::<ChangeRole>::new();
    // Read again after each invitation, switch or change, so the lists show it.
    let people = Resource::new(
        move || (invite.version().get(), set_active.version().get(), change_role.version().get()),
        |_| get_people(),
    );
    let query = use_query_map();
    let invited = move || query.read().get("invited").or_else(|| invite.value().get().and_then(Result::ok));
    let error = move || {
        invite
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| set_active.value().get().and_then(Result::err))
            .or_else(|| change_role.value().get().and_then(Result::err))
    };
    view! {
        <Title text="People"/>
        <header class="page-head">
            <h1>"People"</h1>
            <p class="lede">"Invite organisers, team leaders and volunteers, each to their own patch. Switching an account off keeps everything it recorded."</p>
        </header>
        {move || invited().map(|code| view! {
            <section class="card notice" role="status">
                <h2>"Invitation made"</h2>
                <p>"Send this link, or give them the code to type in at " <code>"/invite"</code> ". It works once, for "
                    {super::INVITATION_DAYS} " days. It is not shown again."</p>
                <p class="invite-code"><a href=format!("/invite/{code}")>{format!("/invite/{code}")}</a></p>
                <p class="invite-code" aria-label="Code"><strong>{code}</strong></p>
            </section>
        })}
        <super::ResetLinkNotice/>
        {move || error().map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match people.await {
                    Ok(view) => view! { <People view invite set_active change_role/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn People(
    view: PeopleView,
    invite: ServerAction<Invite>,
    set_active: ServerAction<SetActive>,
    change_role: ServerAction<ChangeRole>,
) -> impl IntoView {
    let PeopleView { people, invitations, roles, patches } = view;
    let (role_choices, patch_choices) = (roles.clone(), patches.clone());
    // Only admins may make password reset links (they are offered every role).
    let resets = roles.contains(&crate::auth::Role::Admin);
    view! {
        <section class="card" aria-labelledby="invite-h">
            <h2 id="invite-h">"Invite someone"</h2>
            <ActionForm action=invite attr:class="invite-form">
                <label>"Name"<input type="text" name="display_name" required autocomplete="off"/></label>
                <label>"Email"<input type="email" name="email" required autocomplete="off"/></label>
                <label>"Role"
                    <select name="role" required>
                        {roles.iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Patch"
                    <select name="patch">
                        <option value="">"Everywhere (admins only)"</option>
                        {patches.iter().map(|p| view! { <option value=p.value.clone()>{p.label.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="button primary">"Make invitation"</button>
            </ActionForm>
        </section>
        {(!invitations.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="pending-h">
                <h2 id="pending-h">"Waiting to be accepted"</h2>
                <ul class="plain-list">
                    {invitations.into_iter().map(|i| view! {
                        <li>{i.display_name} " (" {i.email.clone()} "), " {i.role.label()} ", " {i.patch}
                            " · until " {i.expires_at.format("%-d %b").to_string()}
                            <form method="post" action="/api/revoke_invitation" class="inline">
                                <input type="hidden" name="email" value=i.email.clone()/>
                                <button type="submit" class="button ghost small">"Withdraw"<span class="visually-hidden">" the invitation for " {i.email.clone()}</span></button>
                            </form>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="card" aria-labelledby="people-h">
            <h2 id="people-h">"Accounts"</h2>
            <div class="table-wrap"><table class="data">
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"Role"</th><th scope="col">"Patch"</th>
                    <th scope="col">"Last active"</th><th scope="col">"Account"</th>
                </tr></thead>
                <tbody>
                    {people.into_iter().map(|p| {
                        let (roles, patches) = (role_choices.clone(), patch_choices.clone());
                        let reset_for = p.display_name.clone();
                        let data_of = p.display_name.clone();
                        view! {
                        <tr class:inactive=!p.active>
                            <td>{p.display_name.clone()}<br/><span class="muted">{p.email}</span></td>
                            <td><span class="badge" data-role=p.role.as_str()>{p.role.label()}</span></td>
                            <td>{p.patch}</td>
                            <td>{p.last_active.map(|t| t.format("%-d %b %Y %H:%M").to_string()).unwrap_or_else(|| "Never".into())}</td>
                            <td>
                                {if p.may_manage {
                                    view! {
                                        <ActionForm action=set_active>
                                            <input type="hidden" name="user_id" value=p.id/>
                                            <input type="hidden" name="active" value=if p.active { "false" } else { "true" }/>
                                            <button type="submit" class="button secondary small">
                                                {if p.active { "Switch off" } else { "Switch on" }}
                                            </button>
                                        </ActionForm>
                                        <details class="change-role">
                                            <summary>"Change role"</summary>
                                            <ActionForm action=change_role attr:class="stack">
                                                <input type="hidden" name="user_id" value=p.id/>
                                                <label>"Role"<span class="visually-hidden">" for " {p.display_name.clone()}</span>
                                                    <select name="role">
                                                        {roles.iter().map(|r| view! {
                                                            <option value=r.as_str() selected=*r == p.role>{r.label()}</option>
                                                        }).collect_view()}
                                                    </select>
                                                </label>
                                                <label>"Patch"<span class="visually-hidden">" for " {p.display_name.clone()}</span>
                                                    <select name="patch">
                                                        <option value="" selected=p.patch_value.is_empty()>"Everywhere (admins only)"</option>
                                                        {patches.iter().map(|c| view! {
                                                            <option value=c.value.clone() selected=c.value == p.patch_value>{c.label.clone()}</option>
                                                        }).collect_view()}
                                                    </select>
                                                </label>
                                                <button type="submit" class="button secondary small">"Change"</button>
                                            </ActionForm>
                                        </details>
                                        {resets.then(|| view! {
                                            <form method="post" action="/api/reset_link">
                                                <input type="hidden" name="user_id" value=p.id/>
                                                <button type="submit" class="button ghost small">"Password reset link"<span class="visually-hidden">" for " {reset_for}</span></button>
                                            </form>
                                        })}
                                    }.into_any()
                                } else {
                                    view! { <span>{if p.active { "Active" } else { "Switched off" }}</span> }.into_any()
                                }}
                                {resets.then(|| view! {
                                    <a class="button ghost small" href=format!("/people/{}/data.json", p.id) download>
                                        "Download their data"<span class="visually-hidden">": " {data_of}</span>
                                    </a>
                                })}
                            </td>
                        </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table></div>
        </section>
    }
}

/// Opened from an invitation link, or with the code typed in (`/invite?code=…`).
#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let code = move || params.read().get("code").or_else(|| query.read().get("code")).unwrap_or_default();
    let invitation = Resource::new(code, |code| async move {
        if code.is_empty() {
            Ok(None)
        } else {
            get_invitation(code).await.map(Some)
        }
    });
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = move || accept.value().get().and_then(Result::err);
    // The new account is signed in: the header must learn who it is.
    let session = expect_context::<Session>();
    Effect::new(move |_| {
        if accept.value().get().is_some_and(|r| r.is_ok()) {
            session.signed_in.update(|n| *n += 1);
        }
    });
    view! {
        <Title text="Your invitation"/>
        <section class="card narrow">
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match invitation.await {
                        Ok(None) => view! {
                            <h1>"Your invitation"</h1>
                            <form method="get" action="/invite" class="stack">
                                <label for="code">"The code you were given"</label>
                                <input id="code" name="code" required autocomplete="off" autocapitalize="characters"/>
                                <button type="submit" class="button primary">"Continue"</button>
                            </form>
                        }.into_any(),
                        Ok(Some(i)) => view! {
                            <h1>"Welcome, " {i.display_name.clone()}</h1>
                            <p>{i.invited_by.map(|by| format!("{by} has invited you")).unwrap_or_else(|| "You are invited".into())}
                                " to Groundwork as " <strong>{i.role.label()}</strong> " for " {i.patch} "."</p>
                            <p class="muted">"Groundwork holds personal data about voters. Keep your password to yourself, and sign out on shared devices."</p>
                            <ActionForm action=accept attr:class="stack">
                                <input type="hidden" name="code" value=code()/>
                                <label for="email">"Email"</label>
                                <input id="email" type="email" value=i.email readonly autocomplete="username"/>
                                <label for="password">"Choose a password (at least 10 characters)"</label>
                                <input id="password" name="password" type="password" minlength="10" required autocomplete="new-password"/>
                                <label for="password_again">"The same password again"</label>
                                <input id="password_again" name="password_again" type="password" minlength="10" required autocomplete="new-password"/>
                                {move || error().map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
                                <button type="submit" class="button primary">"Make my account"</button>
                            </ActionForm>
                        }.into_any(),
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    view! {
        <Title text="Your account"/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(user)) => view! {
                        <section class="card narrow">
                            <h1>{user.display_name}</h1>
                            <p>{user.email} " · " {user.role.label()}</p>
                            <p class="actions">
                                <a class="button secondary" href="/account/data.json" download>"Download my data"</a>
                            </p>
                            <p class="muted">"Your account as Groundwork holds it: a copy in a file, for you to keep or send on. The download is on the audit log."</p>
                            <super::ChangePasswordForm/>
                            <h2>"Lost a phone?"</h2>
                            <p>"Sign out on every device where you are signed in, including this one."</p>
                            <ActionForm action=everywhere>
                                <button type="submit" class="button danger">"Sign out everywhere"</button>
                            </ActionForm>
                        </section>
                    }.into_any(),
                    Ok(None) => view! { <ErrorView error=crate::error::AppError::NotSignedIn/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
