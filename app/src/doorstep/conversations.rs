//! Writing stored entries as conversations: the macro both a batch and an organiser's
//! confirmation of a held entry use, so the two write the same rows.

/// Stores conversations with their issues, survey answers and follow-ups, a few
/// multi-row statements per batch rather than several statements per entry. `$rows` is
/// a slice of (entry, made at, seat, volunteer).
macro_rules! insert_conversations {
    ($tx:ident, $rows:expr, $received:expr) => {{
        let rows: &[(&DoorEntry, DateTime<Utc>, i64, Option<i64>)] = $rows;
        // 15 values a row keeps a statement well inside SQLite's limit on bound values.
        for chunk in rows.chunks(200) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO conversations (id, seat_id, household_id, elector_id, walk_list_id, volunteer_id,
                        result, intention, intention_source, firmness, notes, made_at, received_at, lat, lon) ",
            );
            q.push_values(chunk, |mut b, (e, made_at, seat_id, volunteer_id)| {
                b.push_bind(&e.id).push_bind(*seat_id).push_bind(e.household_id).push_bind(e.elector_id)
                    .push_bind(e.walk_list_id).push_bind(*volunteer_id).push_bind(&e.result)
                    .push_bind(&e.intention).push_bind(&e.intention_source).push_bind(e.firmness)
                    .push_bind(&e.notes).push_bind(*made_at).push_bind($received).push_bind(e.lat)
                    .push_bind(e.lon);
            });
            q.build().execute(&mut *$tx).await?;
        }
        let issues: Vec<(&str, &str)> =
            rows.iter().flat_map(|(e, ..)| e.issues.iter().map(|i| (e.id.as_str(), i.as_str()))).collect();
        for chunk in issues.chunks(1000) {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO conversation_issues (conversation_id, issue) ");
            q.push_values(chunk, |mut b, (id, issue)| {
                b.push_bind(*id).push_bind(*issue);
            });
            q.push(" ON CONFLICT DO NOTHING");
            q.build().execute(&mut *$tx).await?;
        }
        let answers: Vec<(&str, &str, &str)> = rows
            .iter()
            .flat_map(|(e, ..)| e.answers.iter().map(|(q, a)| (e.id.as_str(), q.as_str(), a.as_str())))
            .collect();
        for chunk in answers.chunks(1000) {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO survey_answers (conversation_id, question, answer) ");
            q.push_values(chunk, |mut b, (id, question, answer)| {
                b.push_bind(*id).push_bind(*question).push_bind(*answer);
            });
            q.push(" ON CONFLICT DO NOTHING");
            q.build().execute(&mut *$tx).await?;
        }
        let follow_ups: Vec<(&DoorEntry, i64, &str)> = rows
            .iter()
            .flat_map(|(e, _, seat_id, _)| e.follow_ups.iter().map(move |k| (*e, *seat_id, k.as_str())))
            .collect();
        for chunk in follow_ups.chunks(400) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO follow_ups (conversation_id, seat_id, household_id, elector_id, kind, status, created_at,
                                         phone, email, contact_consent_at) ",
            );
            q.push_values(chunk, |mut b, (e, seat_id, kind)| {
                // Contact details go with the follow-ups that need them, and only with consent.
                let contact = e.contact_consent && CONTACT_FOLLOW_UPS.contains(kind);
                let phone = e.contact_phone.as_deref().map(str::trim).filter(|p| contact && !p.is_empty());
                let email = e.contact_email.as_deref().map(str::trim).filter(|m| contact && !m.is_empty());
                let consent_at = (phone.is_some() || email.is_some()).then_some($received);
                b.push_bind(&e.id).push_bind(*seat_id).push_bind(e.household_id).push_bind(e.elector_id)
                    .push_bind(*kind).push_bind("open").push_bind($received)
                    .push_bind(phone).push_bind(email.map(str::to_lowercase)).push_bind(consent_at);
            });
            q.push(" ON CONFLICT DO NOTHING");
            q.build().execute(&mut *$tx).await?;
        }
        // The door's own flag is what turf cutting and the map read.
        for (e, ..) in follow_ups.iter().filter(|(_, _, k)| *k == "do_not_knock") {
            sqlx::query("UPDATE households SET do_not_knock = $1 WHERE id = $2")
                .bind(true).bind(e.household_id).execute(&mut *$tx).await?;
        }
    }};
}
