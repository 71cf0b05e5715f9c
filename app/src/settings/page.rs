//! The settings screen: one card per group, each a form that saves only its own fields.

use super::fields::GROUPS;
use super::{get_settings, SaveSettings, SettingField, SettingsView};
use crate::layout::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveSettings>::new();
    let settings = Resource::new(move || save.version().get(), |_| get_settings());
    let query = use_query_map();
    let changed = move || {
        save.value().get().and_then(Result::ok).map(|n| n.to_string()).or_else(|| query.read().get("changed"))
    };
    let error = move || save.value().get().and_then(Result::err);
    view! {
        <Title text="Campaign settings"/>
        <header class="page-head">
            <h1>"Campaign settings"</h1>
            <p class="lede">"What volunteers record at the door, what they tell voters, how long we keep it, and the maps. Every change is written to the "
                <a href="/audit?text=setting">"audit log"</a> " with its value before and after."</p>
        </header>
        {move || changed().map(|n| view! {
            <p class="card notice" role="status">{match n.as_str() {
                "0" => "Nothing had changed.".to_string(),
                "1" => "Saved 1 change.".to_string(),
                n => format!("Saved {n} changes."),
            }}</p>
        })}
        {move || error().map(|e| view! { <p class="error" role="alert">{e.to_string()}</p> })}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(view) => view! { <Groups view save/> }.into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Groups(view: SettingsView, save: ServerAction<SaveSettings>) -> impl IntoView {
    GROUPS
        .iter()
        .map(|(group, title)| {
            let fields: Vec<SettingField> = view.fields.iter().filter(|f| f.group == *group).cloned().collect();
            let heading = format!("settings-{group}");
            let labelled_by = heading.clone();
            view! {
                <section class="card settings-group" aria-labelledby=labelled_by>
                    <h2 id=heading>{*title}</h2>
                    <ActionForm action=save attr:class="stack settings-form">
                        {fields.into_iter().map(|f| view! { <Field f/> }).collect_view()}
                        <button type="submit" class="button primary">{format!("Save {}", title.to_lowercase())}</button>
                    </ActionForm>
                </section>
            }
        })
        .collect_view()
}

#[component]
fn Field(f: SettingField) -> impl IntoView {
    let id = format!("setting-{}", f.key);
    let help_id = format!("{id}-help");
    let name = format!("values[{}]", f.key);
    let input = if f.on_off {
        let on = f.text == "on";
        view! {
            <select id=id.clone() name=name aria-describedby=help_id.clone()>
                <option value="off" selected=!on>"Off"</option>
                <option value="on" selected=on>"On"</option>
            </select>
        }
        .into_any()
    } else if f.multiline {
        let rows = f.text.lines().count().clamp(3, 12);
        view! {
            <textarea id=id.clone() name=name rows=rows aria-describedby=help_id.clone() spellcheck="true">{f.text}</textarea>
        }
        .into_any()
    } else {
        view! { <input id=id.clone() name=name value=f.text aria-describedby=help_id.clone() autocomplete="off"/> }.into_any()
    };
    view! {
        <div class="setting">
            <label for=id>{f.label}</label>
            {input}
            <p id=help_id class="muted help">{f.help}</p>
        </div>
    }
}
