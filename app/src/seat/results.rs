//! Importing election results (House of Commons Library files, 2015 to 2024 layouts) to
//! set each seat's last result: winner, runner-up, majority, electorate, turnout.

use super::ElectionResult;
use crate::on_tx;
use crate::register::decode;
use crate::register::layout::normalise_header;
use crate::register::Rejection;
use crate::store::Store;
use serde::Serialize;
use std::io::Read;

#[derive(Debug, Default, Serialize)]
pub struct ResultsReport {
    pub rows: usize,
    /// Seats in the file that are in this campaign, whose result was set.
    pub updated: usize,
    /// Seats in the file that this campaign does not hold.
    pub skipped: usize,
    pub rejected: Vec<Rejection>,
}

/// The party's name as people say it, from the codes and headers the files use.
pub fn party_name(code: &str) -> String {
    match normalise_header(code).as_str() {
        "con" | "conservative" => "Conservative".into(),
        "lab" | "labour" => "Labour".into(),
        "ld" | "libdem" | "liberaldemocrat" => "Liberal Democrat".into(),
        "ukip" => "UKIP".into(),
        "green" => "Green".into(),
        "snp" | "scottishnationalparty" => "SNP".into(),
        "pc" | "plaidcymru" => "Plaid Cymru".into(),
        "brx" | "brexit" => "Brexit Party".into(),
        "ruk" | "reform" => "Reform UK".into(),
        "dup" => "DUP".into(),
        "sf" | "sinnfein" => "Sinn Féin".into(),
        "sdlp" => "SDLP".into(),
        "uup" => "UUP".into(),
        "apni" | "alliance" => "Alliance".into(),
        "spk" | "speaker" => "Speaker".into(),
        "ind" | "independent" => "Independent".into(),
        _ => code.trim().to_string(),
    }
}

/// One seat's result as read from a results file.
#[derive(Debug, Clone)]
pub struct ParsedResult {
    pub gss_code: String,
    /// The constituency's and its region's names, when the file has them (2019 and later).
    pub name: Option<String>,
    pub region: Option<String>,
    pub result: ElectionResult,
}

/// Reads a results file (any of the House of Commons Library layouts) without touching
/// the database: the rows read, and the rows refused.
pub fn parse(input: impl Read, year: i64) -> Result<(Vec<ParsedResult>, Vec<Rejection>), String> {
    let mut opened = decode::open(input)?;
    let headers: Vec<String> = opened.headers.iter().map(|h| normalise_header(h)).collect();
    let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let need =
        |names: &[&str], what: &str| find(names).ok_or_else(|| format!("the file has no {what} column"));
    let code = need(&["onsid"], "ONS ID")?;
    let name = find(&["constituencyname"]);
    let region = find(&["regionname"]);
    let first = need(&["firstparty"], "first party")?;
    let second = need(&["secondparty"], "second party")?;
    let electorate = need(&["electorate"], "electorate")?;
    let valid = need(&["validvotes"], "valid votes")?;
    let invalid = find(&["invalidvotes"]);
    let majority = need(&["majority"], "majority")?;

    let mut rows = Vec::new();
    let mut rejected = Vec::new();
    let mut record = csv::StringRecord::new();
    while opened.records.read_record(&mut record).map_err(|e| format!("unreadable file: {e}"))? {
        let line = opened.records.get_ref().line_of(record.position().map_or(0, |p| p.byte()));
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let number = |i: usize| cell(i).replace(',', "").parse::<i64>();
        let votes_for = |party: &str| find(&[normalise_header(party).as_str()]).and_then(|i| number(i).ok());
        let parsed = (|| {
            let e = number(electorate).map_err(|_| ("Electorate", cell(electorate)))?;
            let v = number(valid).map_err(|_| ("Valid votes", cell(valid)))?;
            let m = number(majority).map_err(|_| ("Majority", cell(majority)))?;
            let i = invalid.map(number).transpose().map_err(|_| ("Invalid votes", ""))?.unwrap_or(0);
            Ok::<_, (&str, &str)>((e, v, m, i))
        })();
        match parsed {
            Ok((e, v, m, i)) => {
                let (winner, runner_up) = (cell(first), cell(second));
                // The Speaker and small parties have no column of their own: infer from the majority.
                let runner_votes = votes_for(runner_up).unwrap_or(0);
                let winner_votes = votes_for(winner).unwrap_or(runner_votes + m);
                let text = |i: Option<usize>| i.map(cell).filter(|s| !s.is_empty()).map(str::to_string);
                rows.push(ParsedResult {
                    gss_code: cell(code).to_string(),
                    name: text(name),
                    region: text(region),
                    result: ElectionResult {
                        year,
                        winner: party_name(winner),
                        runner_up: party_name(runner_up),
                        winner_votes,
                        runner_up_votes: runner_votes,
                        majority: m,
                        electorate: e,
                        valid_votes: v,
                        invalid_votes: i,
                    },
                });
            }
            Err((column, value)) => rejected.push(Rejection {
                line,
                column: column.into(),
                reason: format!("\"{value}\" is not a number"),
            }),
        }
    }
    Ok((rows, rejected))
}

/// Reads a results file and sets the `year` result of every seat in it that the
/// campaign holds, in one transaction. A file with bad rows changes nothing.
pub async fn import(store: &Store, input: impl Read, year: i64) -> Result<ResultsReport, String> {
    let (rows, rejected) = parse(input, year)?;
    let mut report = ResultsReport { rows: rows.len() + rejected.len(), rejected, ..Default::default() };
    if !report.rejected.is_empty() {
        return Ok(report);
    }
    let written = store.write(&[], |tx| Box::pin(async { on_tx!(tx, tx => {
        let mut updated = 0;
        for row in &rows {
            let r = &row.result;
            let seat: Option<(i64,)> = sqlx::query_as("SELECT id FROM seats WHERE gss_code = $1").bind(&row.gss_code).fetch_optional(&mut *tx).await?;
            let Some((seat_id,)) = seat else { continue };
            sqlx::query(
                "INSERT INTO seat_results (seat_id, year, winner, runner_up, winner_votes, runner_up_votes, majority,
                                           electorate, valid_votes, invalid_votes)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (seat_id, year) DO UPDATE SET winner = excluded.winner, runner_up = excluded.runner_up,
                     winner_votes = excluded.winner_votes, runner_up_votes = excluded.runner_up_votes,
                     majority = excluded.majority, electorate = excluded.electorate,
                     valid_votes = excluded.valid_votes, invalid_votes = excluded.invalid_votes")
                .bind(seat_id).bind(year).bind(&r.winner).bind(&r.runner_up).bind(r.winner_votes).bind(r.runner_up_votes)
                .bind(r.majority).bind(r.electorate).bind(r.valid_votes).bind(r.invalid_votes)
                .execute(&mut *tx).await?;
            updated += 1;
        }
        Ok::<usize, sqlx::Error>(updated)
    })})).await
    .map_err(|e| format!("the database refused the results, and nothing was changed: {e}"))?;
    report.updated = written;
    report.skipped = rows.len() - written;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::party_name;

    #[test]
    fn party_codes_of_every_year_read_as_names() {
        assert_eq!(party_name("conservative"), "Conservative");
        assert_eq!(party_name("Con"), "Conservative");
        assert_eq!(party_name("liberal-democrat"), "Liberal Democrat");
        assert_eq!(party_name("RUK"), "Reform UK");
        assert_eq!(party_name("Yorkshire"), "Yorkshire");
    }
}
