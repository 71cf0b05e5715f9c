//! The organiser's register screens: upload a file, see what it would change, decide.

use super::server_fns::{
    get_register_status, get_upload_preview, CancelUpload, ColumnSample, CommitUpload, RegisterStatus,
    UploadPreview, UploadState, MAPPABLE_FIELDS,
};
use super::{ImportReport, Outcome};
use crate::format::thousands;
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let gss = move || params.read().get("gss").unwrap_or_default();
    let status = Resource::new(gss, get_register_status);
    let notice = move || {
        let q = query.read();
        if let Some(error) = q.get("error") {
            Some(view! { <p class="card notice" role="alert">{error}</p> }.into_any())
        } else if q.get("imported").is_some() {
            Some(view! { <p class="card success" role="status">"The register was imported."</p> }.into_any())
        } else if q.get("cancelled").is_some() {
            Some(
                view! { <p class="card" role="status">"The upload was cancelled; nothing was written."</p> }
                    .into_any(),
            )
        } else {
            None
        }
    };
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(status) => view! { {notice()} <Status gss=gss() status/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Status(gss: String, status: RegisterStatus) -> impl IntoView {
    let RegisterStatus { seat_name, electors, imports, unplaced, unplaced_count } = status;
    view! {
        <Title text=format!("Electoral register · {seat_name}")/>
        <header class="page-head">
            <p class="eyebrow"><a href=format!("/seats/{gss}")>{seat_name.clone()}</a></p>
            <h1>"Electoral register"</h1>
            <p class="lede">{thousands(electors)} " electors on the current register."</p>
        </header>
        <section class="card" aria-labelledby="upload-h">
            <h2 id="upload-h">"Load a register file"</h2>
            <p>"A full register or a monthly update, as your council sends it (Xpress, Idox/Halarose EROS, or a Groundwork export). "
               "We read it and show you what would change before anything is written."</p>
            <form class="stack" method="post" enctype="multipart/form-data" action=format!("/seats/{gss}/register/upload")>
                <label for="register-file">"Register file (CSV or tab-separated)"</label>
                <input id="register-file" name="file" type="file" accept=".csv,.tsv,.txt,text/csv" required/>
                <button type="submit" class="button primary">"Check the file"</button>
            </form>
        </section>
        <section class="card" aria-labelledby="history-h">
            <h2 id="history-h">"Imports"</h2>
            {if imports.is_empty() {
                // The demo's (or a restored) electors came in some other way: say so, not "none".
                let text = if electors > 0 {
                    format!("No register file has been imported here yet: the {} electors above were loaded another way (the demo, or the command line before imports were recorded).", thousands(electors))
                } else {
                    "No register has been imported for this seat yet.".to_string()
                };
                view! { <p class="muted">{text}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap"><table class="data">
                        <thead><tr>
                            <th scope="col">"When"</th><th scope="col">"File"</th><th scope="col">"Layout"</th>
                            <th scope="col" class="num">"Added"</th><th scope="col" class="num">"Changed"</th>
                            <th scope="col" class="num">"Left"</th><th scope="col" class="num">"Renumbered"</th>
                            <th scope="col" class="num">"Rejected"</th>
                        </tr></thead>
                        <tbody>
                            {imports.into_iter().map(|i| view! {
                                <tr>
                                    <td>{i.imported_at.format("%-d %b %Y %H:%M").to_string()}</td>
                                    <td>{i.file_name}</td><td>{i.layout}</td>
                                    <td class="num">{thousands(i.added)}</td><td class="num">{thousands(i.changed)}</td>
                                    <td class="num">{thousands(i.left_count)}</td><td class="num">{thousands(i.renumbered)}</td>
                                    <td class="num">{thousands(i.rejected)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="unplaced-h">
            <h2 id="unplaced-h">"Addresses not on the map"</h2>
            {if unplaced_count == 0 {
                view! { <p class="muted">"Every address has been placed on the map."</p> }.into_any()
            } else {
                view! {
                    <p>{thousands(unplaced_count)} " addresses have a postcode we have no location for. "
                       "Load a postcode file (" <code>"groundwork import postcodes FILE"</code> ") to place them."</p>
                    <ul class="plain-list">{unplaced.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="export-h">
            <h2 id="export-h">"Export"</h2>
            <p>"Downloads are recorded in the audit log."</p>
            <ul class="plain-list">
                <li><a href=format!("/seats/{gss}/export/electors.csv")>"Electors (CSV)"</a></li>
                <li><a href=format!("/seats/{gss}/export/households.csv")>"Households (CSV)"</a></li>
                <li><a href=format!("/seats/{gss}/export/conversations.csv")>"Conversations (CSV)"</a></li>
            </ul>
        </section>
    }
}

#[component]
pub fn UploadPreviewPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let p = params.read();
        (p.get("gss").unwrap_or_default(), p.get("id").unwrap_or_default())
    };
    let preview = Resource::new(key, |(gss, id)| get_upload_preview(gss, id));
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let (gss, id) = key();
                let error = query.read().get("error");
                match preview.await {
                    Ok(UploadPreview { seat_name, file_name, state }) => match state {
                        UploadState::Ready(report) => view! { <Preview gss id seat_name file_name report/> }.into_any(),
                        UploadState::NeedsMapping { columns } => {
                            view! { <MapColumns gss id seat_name file_name columns error/> }.into_any()
                        }
                        state => view! { <Checking gss seat_name file_name state/> }.into_any(),
                    },
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// While the file is read in the background: how far it has got. The page reloads itself
/// (a meta refresh, so no JavaScript is needed) until the preview is ready.
#[component]
fn Checking(gss: String, seat_name: String, file_name: String, state: UploadState) -> impl IntoView {
    let heading = match state {
        UploadState::Checking { .. } => format!("Checking {file_name}"),
        _ => format!("{file_name} could not be checked"),
    };
    let body = match state {
        UploadState::Checking { done, total } => view! {
            <Meta http_equiv="refresh" content="1"/>
            <p role="status">"Checking the file: " {thousands(done)} " of about " {thousands(total)} " rows read."</p>
            <progress max=total.max(1) value=done>{format!("{done} of {total}")}</progress>
            <p class="muted">"This page updates itself. Nothing is written until you have seen the changes."</p>
        }
        .into_any(),
        UploadState::Stalled => view! {
            <p class="notice" role="alert">"The check of this file stopped before it finished (the server may have restarted). Please upload it again."</p>
        }
        .into_any(),
        UploadState::Failed(reason) => view! {
            <p class="notice" role="alert">{reason}</p>
            <p>"Nothing was written. Fix the file, or upload another."</p>
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! {
        <Title text=format!("Checking {file_name}")/>
        <header class="page-head">
            <p class="eyebrow"><a href=format!("/seats/{gss}/register")>{seat_name} " · electoral register"</a></p>
            <h1>{heading}</h1>
        </header>
        <section class="card">{body}</section>
    }
}

/// A file whose header we do not recognise: the organiser says which column holds what.
/// A plain form, so it works without JavaScript; the mapping is remembered for the next
/// file with the same header.
#[component]
fn MapColumns(
    gss: String,
    id: String,
    seat_name: String,
    file_name: String,
    columns: Vec<ColumnSample>,
    error: Option<String>,
) -> impl IntoView {
    let guess = |field: &str| {
        let plain = |s: &str| {
            s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>()
        };
        columns.iter().find(|c| plain(&c.header) == plain(field)).map(|c| c.header.clone())
    };
    let rows = MAPPABLE_FIELDS
        .iter()
        .map(|&(field, label)| {
            let chosen = guess(field);
            let options = columns
                .iter()
                .map(|c| {
                    let text = if c.example.is_empty() {
                        c.header.clone()
                    } else {
                        format!("{} (e.g. {})", c.header, c.example)
                    };
                    view! { <option value=c.header.clone() selected=chosen.as_ref() == Some(&c.header)>{text}</option> }
                })
                .collect_view();
            view! {
                <div class="field">
                    <label for=format!("map-{field}")>{label}</label>
                    <select id=format!("map-{field}") name=field>
                        <option value="">"Not in this file"</option>
                        {options}
                    </select>
                </div>
            }
        })
        .collect_view();
    view! {
        <Title text=format!("Match the columns of {file_name}")/>
        <header class="page-head">
            <p class="eyebrow"><a href=format!("/seats/{gss}/register")>{seat_name} " · electoral register"</a></p>
            <h1>"Match the columns"</h1>
            <p class="lede">"We do not recognise the layout of " {file_name.clone()}
                ". Tell us which column holds what, once: the next file with these columns is read the same way."</p>
        </header>
        {error.map(|e| view! { <p class="card notice" role="alert">{e}</p> })}
        <form class="card stack" method="post" action=format!("/seats/{gss}/register/{id}/columns")>
            <fieldset>
                <legend>"What the file is"</legend>
                <label><input type="radio" name="edition" value="full" checked/>" The full register"</label>
                <label><input type="radio" name="edition" value="update"/>" A monthly update"</label>
            </fieldset>
            <p class="muted">"Needed: the elector number (whole, or its prefix and number), the surname (or a full name) and the first address line."</p>
            {rows}
            <button type="submit" class="button primary">"Use these columns"</button>
        </form>
    }
}

#[component]
fn Preview(
    gss: String,
    id: String,
    seat_name: String,
    file_name: String,
    report: ImportReport,
) -> impl IntoView {
    let commit = ServerAction::<CommitUpload>::new();
    let cancel = ServerAction::<CancelUpload>::new();
    let error = move || commit.value().get().and_then(Result::err);
    let rejected = report.rejected.len() as i64;
    let figures = [
        ("Rows in the file", report.rows),
        ("New electors", report.added),
        ("Changed", report.changed),
        ("Unchanged", report.unchanged),
        ("Left the register", report.left),
        ("Renumbered", report.renumbered),
        ("New households", report.new_households),
        ("Left out (erased earlier)", report.suppressed),
        ("Rejected rows", rejected),
    ];
    let shown_rejections: Vec<_> = report.rejected.iter().take(500).cloned().collect();
    let partial = report.partial_warning();
    let (gss_commit, id_commit, gss_cancel, id_cancel) = (gss.clone(), id.clone(), gss.clone(), id);
    view! {
        <Title text=format!("Check {file_name}")/>
        <header class="page-head">
            <p class="eyebrow"><a href=format!("/seats/{gss}/register")>{seat_name} " · electoral register"</a></p>
            <h1>"Check before importing"</h1>
            <p class="lede">{file_name.clone()} ": " {report.layout.clone()} ", " {report.encoding.clone()}
                {match report.edition { super::Edition::Full => " (full register)", super::Edition::Update => " (monthly update)" }}</p>
        </header>
        {(report.outcome == Outcome::Previewed).then(|| view! {
            <p class="muted">"Nothing has been written yet. These are the changes the file would make."</p>
        })}
        <ul class="stats stats-wide">
            {figures.into_iter().map(|(label, n)| view! {
                <li class="stat"><span class="stat-n">{thousands(n)}</span><span class="stat-label">{label}</span></li>
            }).collect_view()}
        </ul>
        {partial.clone().map(|warning| view! {
            <section class="card warning partial-register" role="alert" aria-labelledby="partial-h">
                <h2 id="partial-h">"This looks like part of a register"</h2>
                <p>{warning}</p>
            </section>
        })}
        {move || error().map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
        <div class="actions">
            <ActionForm action=commit>
                <input type="hidden" name="gss" value=gss_commit/>
                <input type="hidden" name="id" value=id_commit/>
                {(rejected > 0).then(|| view! { <input type="hidden" name="valid_only" value="yes"/> })}
                {partial.is_some().then(|| view! {
                    <label for="confirm-left">"To import anyway, type the number of electors who would be marked as left"</label>
                    <input id="confirm-left" name="confirm_left" inputmode="numeric" autocomplete="off" required/>
                })}
                <button type="submit" class="button primary">
                    {if rejected > 0 { format!("Import the valid rows ({} rejected)", thousands(rejected)) } else { "Import".to_string() }}
                </button>
            </ActionForm>
            <ActionForm action=cancel>
                <input type="hidden" name="gss" value=gss_cancel/>
                <input type="hidden" name="id" value=id_cancel/>
                <button type="submit" class="button secondary">"Cancel"</button>
            </ActionForm>
        </div>
        {(rejected > 0).then(|| view! {
            <section class="card" aria-labelledby="rejected-h">
                <h2 id="rejected-h">"Rejected rows"</h2>
                <div class="table-wrap"><table class="data">
                    <thead><tr><th scope="col" class="num">"Line"</th><th scope="col">"Column"</th><th scope="col">"Why"</th></tr></thead>
                    <tbody>
                        {shown_rejections.into_iter().map(|r| view! {
                            <tr><td class="num">{r.line}</td><td>{r.column}</td><td>{r.reason}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            </section>
        })}
        {(!report.unplaced.is_empty()).then(|| view! {
            <section class="card">
                <h2>"Addresses we cannot place on the map"</h2>
                <p>{thousands(report.unplaced.len() as i64)} " new addresses have a postcode we have no location for. They will be imported and listed for you."</p>
                <ul class="plain-list">{report.unplaced.iter().take(50).map(|a| view! { <li>{a.clone()}</li> }).collect_view()}</ul>
            </section>
        })}
        {(!report.unknown_markers.is_empty()).then(|| view! {
            <section class="card">
                <h2>"Franchise markers we do not know"</h2>
                <p>"They are kept exactly as the council wrote them."</p>
                <ul class="plain-list">{report.unknown_markers.iter().map(|(m, n)| view! { <li><code>{m.clone()}</code> " on " {thousands(*n)} " electors"</li> }).collect_view()}</ul>
            </section>
        })}
    }
}
