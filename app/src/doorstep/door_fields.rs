//! The parts of the door form below the one-tap results: the conversation (who answered,
//! their intention and how firm, then the rarer issues, survey and notes folded away) and
//! the follow-ups with a way to reach the person. Laid out for a 390 px phone: the common
//! case fits one screen and nothing is wider than it.

use super::{DoorElector, DoorstepSettings, CONTACT_FOLLOW_UPS};
use leptos::prelude::*;

#[component]
pub fn SpokeFields(electors: Vec<DoorElector>, settings: DoorstepSettings) -> impl IntoView {
    // At a one-person door, the person who answered is almost always them.
    let only = (electors.len() == 1).then(|| electors[0].id);
    let nobody = electors.is_empty();
    view! {
        <fieldset class="card spoke">
            <legend>"Spoke to someone"</legend>
            {(!nobody).then(|| view! {
                <fieldset class="choices two holder" data-holder="">
                    <legend>"Who answered"</legend>
                    {electors.iter().map(|e| view! {
                        <label class="choice">
                            <input type="radio" name="elector_id" value=e.id checked=only == Some(e.id)/>
                            {format!("{} {}", e.first_name, e.surname)}
                        </label>
                    }).collect_view()}
                    <label class="choice"><input type="radio" name="elector_id" value=""/>"Someone not listed"</label>
                </fieldset>
            })}
            {if nobody {
                view! {
                    <p class="muted">"No one here is on the register, so no voting intention can be kept: save the issues, notes and follow-ups."</p>
                }.into_any()
            } else {
                view! {
                    <fieldset class="choices two intention">
                        <legend>"Voting intention"</legend>
                        {settings.parties.iter().map(|(code, label)| view! {
                            <label class="choice"><input type="radio" name="intention" value=code.clone()/>{label.clone()}</label>
                        }).collect_view()}
                    </fieldset>
                    <fieldset class="choices scale">
                        <legend>"How firm"</legend>
                        {settings.firmness.iter().map(|(n, label)| view! {
                            <label class="choice"><input type="radio" name="firmness" value=*n/><span>{label.clone()}</span></label>
                        }).collect_view()}
                    </fieldset>
                    <fieldset class="choices two">
                        <legend>"How we know"</legend>
                        <label class="choice"><input type="radio" name="intention_source" value="said" checked/>"They said"</label>
                        <label class="choice"><input type="radio" name="intention_source" value="inferred"/>"I inferred it"</label>
                    </fieldset>
                }.into_any()
            }}
            <details class="more">
                <summary>"Issues, survey and notes"</summary>
                <fieldset class="choices two">
                    <legend>"Issues raised"</legend>
                    {settings.issues.iter().map(|(code, label)| view! {
                        <label class="choice"><input type="checkbox" name="issues" value=code.clone()/>{label.clone()}</label>
                    }).collect_view()}
                </fieldset>
                {settings.survey.iter().map(|q| view! {
                    <fieldset class="choices survey">
                        <legend>{q.question.clone()}</legend>
                        {q.answers.iter().map(|a| view! {
                            <label class="choice"><input type="radio" name=format!("q_{}", q.id) value=a.clone()/>{a.clone()}</label>
                        }).collect_view()}
                    </fieldset>
                }).collect_view()}
                <label for="notes">"Notes"</label>
                <textarea id="notes" name="notes" rows="3" maxlength="4000"></textarea>
            </details>
        </fieldset>
    }
}

#[component]
pub fn FollowUpFields(settings: DoorstepSettings) -> impl IntoView {
    let contact_kinds: Vec<String> = settings
        .follow_ups
        .iter()
        .filter(|(c, _)| CONTACT_FOLLOW_UPS.contains(&c.as_str()))
        .map(|(_, l)| l.clone())
        .collect();
    view! {
        <fieldset class="card follow-ups">
            <legend>"Follow-ups"</legend>
            <p class="muted">"Saved with whichever result you choose."</p>
            <div class="choices two">
                {settings.follow_ups.iter().map(|(code, label)| view! {
                    <label class="choice"><input type="checkbox" name="follow_ups" value=code.clone()/>{label.clone()}</label>
                }).collect_view()}
            </div>
            {(!contact_kinds.is_empty()).then(|| view! {
                <details class="more contact" data-contact="">
                    <summary>{format!("Phone or email ({})", contact_kinds.join(", ").to_lowercase())}</summary>
                    <label for="contact-phone">"Phone"</label>
                    <input id="contact-phone" name="contact_phone" type="tel" autocomplete="off" inputmode="tel" maxlength="40"/>
                    <label for="contact-email">"Email"</label>
                    <input id="contact-email" name="contact_email" type="email" autocomplete="off" maxlength="254"/>
                    <label class="choice consent">
                        <input type="checkbox" name="contact_consent" value="yes"/>
                        "They agreed to be contacted about this by phone or email"
                    </label>
                </details>
            })}
        </fieldset>
    }
}
