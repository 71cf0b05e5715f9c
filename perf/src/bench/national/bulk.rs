//! Writing the generated rows in bulk: multi-row INSERTs on SQLite, COPY on PostgreSQL
//! (about ten times faster there, which is what brings 46 million electors within the hour).

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, SqliteConnection};
use std::fmt::Write;

/// Rows per multi-row INSERT (PostgreSQL takes at most 65,535 parameters a statement).
const CHUNK: usize = 2_000;

/// A door: polling district, address key, first address line, street, house number.
pub type Door = (i64, String, String, String, String);
/// An elector: household, polling district, district prefix, elector number, first name, surname.
pub type Person = (i64, Option<i64>, String, i64, &'static str, &'static str);
/// An issue raised: conversation, issue code, the conversation's time.
pub type Issue = (String, &'static str, DateTime<Utc>);
/// A follow-up asked for: conversation, household, elector, kind, status, created.
pub type FollowUp = (String, i64, i64, &'static str, &'static str, DateTime<Utc>);

pub struct Conversation {
    pub id: String,
    pub household: i64,
    pub elector: Option<i64>,
    pub volunteer: i64,
    pub result: &'static str,
    pub intention: Option<&'static str>,
    pub source: Option<&'static str>,
    pub at: DateTime<Utc>,
}

pub trait Bulk {
    async fn households(&mut self, seat: i64, rows: &[Door]) -> Result<(), sqlx::Error>;
    async fn electors(&mut self, seat: i64, rows: &[Person]) -> Result<(), sqlx::Error>;
    async fn conversations(&mut self, seat: i64, rows: &[Conversation]) -> Result<(), sqlx::Error>;
    async fn issues(&mut self, seat: i64, rows: &[Issue]) -> Result<(), sqlx::Error>;
    async fn follow_ups(&mut self, seat: i64, rows: &[FollowUp]) -> Result<(), sqlx::Error>;
}

impl Bulk for SqliteConnection {
    async fn households(&mut self, seat: i64, rows: &[Door]) -> Result<(), sqlx::Error> {
        for chunk in rows.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO households (seat_id, polling_district_id, address_key, address1, street, house_number) ",
            );
            q.push_values(chunk, |mut b, (pd, key, address1, street, number)| {
                b.push_bind(seat)
                    .push_bind(pd)
                    .push_bind(key)
                    .push_bind(address1)
                    .push_bind(street)
                    .push_bind(number);
            });
            q.build().execute(&mut *self).await?;
        }
        Ok(())
    }

    async fn electors(&mut self, seat: i64, rows: &[Person]) -> Result<(), sqlx::Error> {
        for chunk in rows.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO electors (seat_id, household_id, polling_district_id, pd_prefix, elector_number,
                                       first_name, surname) ",
            );
            q.push_values(chunk, |mut b, (home, pd, prefix, number, first, surname)| {
                b.push_bind(seat)
                    .push_bind(home)
                    .push_bind(pd)
                    .push_bind(prefix)
                    .push_bind(number)
                    .push_bind(*first)
                    .push_bind(*surname);
            });
            q.build().execute(&mut *self).await?;
        }
        Ok(())
    }

    async fn conversations(&mut self, seat: i64, rows: &[Conversation]) -> Result<(), sqlx::Error> {
        for chunk in rows.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO conversations (id, seat_id, household_id, elector_id, volunteer_id, result, intention,
                                            intention_source, made_at, received_at) ",
            );
            q.push_values(chunk, |mut b, c| {
                b.push_bind(&c.id)
                    .push_bind(seat)
                    .push_bind(c.household)
                    .push_bind(c.elector)
                    .push_bind(c.volunteer)
                    .push_bind(c.result)
                    .push_bind(c.intention)
                    .push_bind(c.source)
                    .push_bind(c.at)
                    .push_bind(c.at);
            });
            q.build().execute(&mut *self).await?;
        }
        Ok(())
    }

    async fn issues(&mut self, seat: i64, rows: &[Issue]) -> Result<(), sqlx::Error> {
        for chunk in rows.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO conversation_issues (conversation_id, issue, seat_id, made_at) ",
            );
            q.push_values(chunk, |mut b, (id, issue, at)| {
                b.push_bind(id).push_bind(*issue).push_bind(seat).push_bind(at);
            });
            q.build().execute(&mut *self).await?;
        }
        Ok(())
    }

    async fn follow_ups(&mut self, seat: i64, rows: &[FollowUp]) -> Result<(), sqlx::Error> {
        for chunk in rows.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO follow_ups (conversation_id, seat_id, household_id, elector_id, kind, status, created_at) ",
            );
            q.push_values(chunk, |mut b, (id, household, elector, kind, status, at)| {
                b.push_bind(id)
                    .push_bind(seat)
                    .push_bind(household)
                    .push_bind(elector)
                    .push_bind(*kind)
                    .push_bind(*status)
                    .push_bind(at);
            });
            q.build().execute(&mut *self).await?;
        }
        Ok(())
    }
}

/// One field of COPY's text format: `\N` for null; backslash, tab and line ends escaped.
fn field(out: &mut String, value: Option<&str>) {
    match value {
        None => out.push_str("\\N"),
        Some(v) => {
            for c in v.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
    }
}

async fn copy<T>(
    conn: &mut PgConnection,
    statement: &str,
    rows: &[T],
    line: impl Fn(&mut String, &T),
) -> Result<(), sqlx::Error> {
    let mut copy = conn.copy_in_raw(statement).await?;
    for chunk in rows.chunks(10_000) {
        let mut text = String::with_capacity(chunk.len() * 80);
        for row in chunk {
            line(&mut text, row);
            text.push('\n');
        }
        if let Err(e) = copy.send(text.into_bytes()).await {
            copy.abort("the generator stopped").await.ok();
            return Err(e);
        }
    }
    copy.finish().await.map(|_| ())
}

impl Bulk for PgConnection {
    async fn households(&mut self, seat: i64, rows: &[Door]) -> Result<(), sqlx::Error> {
        copy(
            self,
            "COPY households (seat_id, polling_district_id, address_key, address1, street, house_number) FROM STDIN",
            rows,
            |out, (pd, key, address1, street, number)| {
                let _ = write!(out, "{seat}\t{pd}\t");
                for (i, v) in [key, address1, street, number].into_iter().enumerate() {
                    if i > 0 {
                        out.push('\t');
                    }
                    field(out, Some(v));
                }
            },
        )
        .await
    }

    async fn electors(&mut self, seat: i64, rows: &[Person]) -> Result<(), sqlx::Error> {
        copy(
            self,
            "COPY electors (seat_id, household_id, polling_district_id, pd_prefix, elector_number, first_name, surname)
             FROM STDIN",
            rows,
            |out, (home, pd, prefix, number, first, surname)| {
                let _ = write!(out, "{seat}\t{home}\t");
                field(out, pd.map(|pd| pd.to_string()).as_deref());
                out.push('\t');
                field(out, Some(prefix));
                let _ = write!(out, "\t{number}\t");
                field(out, Some(first));
                out.push('\t');
                field(out, Some(surname));
            },
        )
        .await
    }

    /// COPY with the conversations' row triggers off, then the seat's counters counted
    /// once from what was written: updating the same few counter rows thousands of times
    /// in one transaction is what made this the slowest step.
    async fn conversations(&mut self, seat: i64, rows: &[Conversation]) -> Result<(), sqlx::Error> {
        sqlx::query("ALTER TABLE conversations DISABLE TRIGGER USER").execute(&mut *self).await?;
        copy(
            self,
            "COPY conversations (id, seat_id, household_id, elector_id, volunteer_id, result, intention,
                                 intention_source, made_at, received_at) FROM STDIN",
            rows,
            |out, c| {
                field(out, Some(&c.id));
                let _ = write!(out, "\t{seat}\t{}\t", c.household);
                field(out, c.elector.map(|e| e.to_string()).as_deref());
                let _ = write!(out, "\t{}\t{}\t", c.volunteer, c.result);
                field(out, c.intention);
                out.push('\t');
                field(out, c.source);
                let at = c.at.to_rfc3339();
                let _ = write!(out, "\t{at}\t{at}");
            },
        )
        .await?;
        sqlx::query("ALTER TABLE conversations ENABLE TRIGGER USER").execute(&mut *self).await?;
        for sql in COUNT_SEAT {
            sqlx::query(sql).bind(seat).execute(&mut *self).await?;
        }
        Ok(())
    }

    /// The seat and time are written here, so the row trigger that would look them up is off.
    async fn issues(&mut self, seat: i64, rows: &[Issue]) -> Result<(), sqlx::Error> {
        sqlx::query("ALTER TABLE conversation_issues DISABLE TRIGGER USER").execute(&mut *self).await?;
        copy(
            self,
            "COPY conversation_issues (conversation_id, issue, seat_id, made_at) FROM STDIN",
            rows,
            |out, (id, issue, at)| {
                field(out, Some(id));
                let _ = write!(out, "\t{issue}\t{seat}\t{}", at.to_rfc3339());
            },
        )
        .await?;
        sqlx::query("ALTER TABLE conversation_issues ENABLE TRIGGER USER")
            .execute(&mut *self)
            .await
            .map(|_| ())
    }

    async fn follow_ups(&mut self, seat: i64, rows: &[FollowUp]) -> Result<(), sqlx::Error> {
        copy(
            self,
            "COPY follow_ups (conversation_id, seat_id, household_id, elector_id, kind, status, created_at) FROM STDIN",
            rows,
            |out, (id, household, elector, kind, status, at)| {
                field(out, Some(id));
                let _ = write!(out, "\t{seat}\t{household}\t{elector}\t{kind}\t{status}\t{}", at.to_rfc3339());
            },
        )
        .await
    }
}

/// A newly generated seat's dashboard counters (migrations 0010 and 0013), counted from
/// its conversations as the triggers would have kept them.
const COUNT_SEAT: [&str; 5] = [
    "INSERT INTO dashboard_doors (household_id, knocks)
     SELECT household_id, COUNT(*) FROM conversations WHERE seat_id = $1 GROUP BY household_id",
    "INSERT INTO dashboard_districts (seat_id, district_key, knocks, spoke, reached)
     SELECT $1, COALESCE(h.polling_district_id, 0), COUNT(*), COUNT(*) FILTER (WHERE c.result = 'spoke'),
            COUNT(DISTINCT h.id)
       FROM conversations c JOIN households h ON h.id = c.household_id
      WHERE c.seat_id = $1 GROUP BY COALESCE(h.polling_district_id, 0)",
    "INSERT INTO dashboard_latest (elector_id, seat_id, district_key, conversation_id, made_at, intention, source)
     SELECT DISTINCT ON (c.elector_id) c.elector_id, c.seat_id, COALESCE(h.polling_district_id, 0), c.id, c.made_at,
            c.intention, CASE WHEN c.intention_source = 'inferred' THEN 'inferred' ELSE 'said' END
       FROM conversations c JOIN households h ON h.id = c.household_id
      WHERE c.seat_id = $1 AND c.elector_id IS NOT NULL AND c.intention IS NOT NULL
      ORDER BY c.elector_id, c.made_at DESC, c.id DESC",
    // From the conversations again rather than from dashboard_latest, which has no index
    // by seat: reading it whole for every seat made the generator slow down as it grew.
    "INSERT INTO dashboard_intentions (seat_id, district_key, intention, source, electors)
     SELECT $1, district_key, intention, source, COUNT(*) FROM (
         SELECT DISTINCT ON (c.elector_id) COALESCE(h.polling_district_id, 0) AS district_key, c.intention,
                CASE WHEN c.intention_source = 'inferred' THEN 'inferred' ELSE 'said' END AS source
           FROM conversations c JOIN households h ON h.id = c.household_id
          WHERE c.seat_id = $1 AND c.elector_id IS NOT NULL AND c.intention IS NOT NULL
          ORDER BY c.elector_id, c.made_at DESC, c.id DESC) latest
      GROUP BY district_key, intention, source",
    "INSERT INTO dashboard_days (seat_id, day, conversations)
     SELECT seat_id, to_char(made_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), COUNT(*) FROM conversations
      WHERE seat_id = $1 GROUP BY 1, 2",
];
