//! Dashboards: one seat's progress for its organiser, and the league of target seats for
//! regional and national staff. Every figure is computed from the raw rows on request.

pub mod chart;
#[cfg(feature = "ssr")]
pub mod counters;
#[cfg(feature = "ssr")]
pub mod follow_up_queries;
mod follow_ups;
mod league_page;
#[cfg(feature = "ssr")]
mod league_queries;
mod page;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod web;

pub use follow_ups::{
    follow_up_label, FollowUpCount, FollowUpDone, FollowUpItem, FollowUpsPage, IssueTrend, LIST_LIMIT,
};
pub use league_page::LeaguePage;
pub use page::SeatDashboardPage;

use crate::error::AppError;
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Days of daily counts shown on the seat dashboard: twelve weeks.
pub const DAYS_SHOWN: i64 = 84;
/// Days of trend in the league table.
pub const TREND_DAYS: i64 = 14;
/// A volunteer is active if they attended a session in this many days.
pub const ACTIVE_DAYS: i64 = 28;

/// Doors knocked and what came of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// Every recorded knock, answered or not.
    pub knocks: i64,
    /// Knocks where someone spoke to us.
    pub spoke: i64,
    /// Distinct households knocked at least once.
    pub reached: i64,
    /// Distinct electors whose latest recorded intention is our party.
    pub supporters: i64,
}

impl Tally {
    pub fn add(&mut self, other: &Tally) {
        self.knocks += other.knocks;
        self.spoke += other.spoke;
        self.reached += other.reached;
        self.supporters += other.supporters;
    }

    /// People spoken to as a share of knocks, in per cent.
    pub fn contact_rate(&self) -> Option<f64> {
        (self.knocks > 0).then(|| 100.0 * self.spoke as f64 / self.knocks as f64)
    }
}

/// A ward or polling district and how far the canvass has got in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaProgress {
    pub code: String,
    pub name: String,
    /// The ward a polling district lies in; empty for wards.
    pub ward: String,
    pub households: i64,
    pub electors: i64,
    pub tally: Tally,
    /// The ward's outline as an SVG path in the map's coordinates, when it has a boundary.
    pub outline: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntentionCount {
    pub party: String,
    pub said: i64,
    pub inferred: i64,
}

/// The seat's last result and the votes we need to win it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WinNumber {
    pub year: i64,
    pub winner: String,
    pub runner_up: String,
    pub majority: i64,
    pub held_by_us: bool,
    /// The party we must beat: the winner, or the runner-up where we hold the seat.
    pub rival: String,
    pub rival_votes: i64,
    pub last_electorate: i64,
    pub last_votes_cast: i64,
    pub last_valid_votes: i64,
    /// Electors on today's register (the last result's electorate when none are loaded).
    pub electorate: i64,
    pub expected_votes_cast: i64,
    pub expected_valid_votes: i64,
    pub win_number: i64,
}

impl WinNumber {
    /// Win number = the rival's last share of the valid vote × the valid votes expected
    /// at the last turnout on today's electorate, plus one. In integers: rival's votes ×
    /// electorate now ÷ electorate then, rounded down, + 1.
    #[allow(clippy::too_many_arguments)]
    pub fn compute(
        our_party_name: &str,
        year: i64,
        winner: String,
        runner_up: String,
        winner_votes: i64,
        runner_up_votes: i64,
        majority: i64,
        last_electorate: i64,
        valid_votes: i64,
        invalid_votes: i64,
        register: i64,
    ) -> WinNumber {
        let held_by_us = winner.eq_ignore_ascii_case(our_party_name);
        let (rival, rival_votes) =
            if held_by_us { (runner_up.clone(), runner_up_votes) } else { (winner.clone(), winner_votes) };
        let electorate = if register > 0 { register } else { last_electorate };
        let scale = |n: i64| if last_electorate > 0 { n * electorate / last_electorate } else { n };
        WinNumber {
            year,
            held_by_us,
            rival,
            rival_votes,
            majority,
            winner,
            runner_up,
            last_electorate,
            last_votes_cast: valid_votes + invalid_votes,
            last_valid_votes: valid_votes,
            electorate,
            expected_votes_cast: scale(valid_votes + invalid_votes),
            expected_valid_votes: scale(valid_votes),
            win_number: scale(rival_votes) + 1,
        }
    }

    pub fn last_turnout_percent(&self) -> f64 {
        if self.last_electorate == 0 {
            return 0.0;
        }
        100.0 * self.last_votes_cast as f64 / self.last_electorate as f64
    }

    pub fn rival_share_percent(&self) -> f64 {
        if self.last_valid_votes == 0 {
            return 0.0;
        }
        100.0 * self.rival_votes as f64 / self.last_valid_votes as f64
    }
}

/// Supporters as a share of the win number, in per cent.
pub fn progress_percent(supporters: i64, win: Option<&WinNumber>) -> Option<f64> {
    win.filter(|w| w.win_number > 0).map(|w| 100.0 * supporters as f64 / w.win_number as f64)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayCount {
    /// YYYY-MM-DD, UTC.
    pub day: NaiveDate,
    pub conversations: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VolunteerStats {
    pub active: i64,
    pub sessions_run: i64,
    pub hours: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeatDashboard {
    pub gss_code: String,
    pub name: String,
    pub region: Option<String>,
    pub our_party: String,
    pub electorate: i64,
    pub households: i64,
    pub totals: Tally,
    /// Each elector once, by their latest recorded intention; largest first.
    pub intentions: Vec<IntentionCount>,
    pub win: Option<WinNumber>,
    pub wards: Vec<AreaProgress>,
    pub districts: Vec<AreaProgress>,
    /// The last [`DAYS_SHOWN`] days, oldest first, with the empty days.
    pub days: Vec<DayCount>,
    pub volunteers: VolunteerStats,
    /// Follow-ups of each kind recorded in the seat, most open first.
    pub follow_ups: Vec<FollowUpCount>,
    /// Each issue raised in the seat, most raised first, with its counts per week.
    pub issues: Vec<IssueTrend>,
    /// The Mondays of the weeks in [`IssueTrend::weekly`], oldest first.
    pub issue_weeks: Vec<NaiveDate>,
    /// Whether the viewer may open the follow-up lists (names, addresses, notes): set
    /// per viewer by the server function; regional staff see the counts only.
    #[serde(default)]
    pub names_shown: bool,
}

impl SeatDashboard {
    pub fn doors_per_volunteer_hour(&self) -> Option<f64> {
        (self.volunteers.hours > 0.0).then(|| self.totals.knocks as f64 / self.volunteers.hours)
    }
}

/// Daily counts summed into weeks starting on Monday: (Monday, conversations), oldest first.
pub fn weekly(days: &[DayCount]) -> Vec<(NaiveDate, i64)> {
    let mut weeks: Vec<(NaiveDate, i64)> = Vec::new();
    for d in days {
        let monday = d.day - Duration::days(i64::from(d.day.weekday().num_days_from_monday()));
        match weeks.last_mut() {
            Some((m, n)) if *m == monday => *n += d.conversations,
            _ => weeks.push((monday, d.conversations)),
        }
    }
    weeks
}

/// The first day the seat dashboard charts: a Monday, so that every week shown is whole
/// except the current one.
pub fn first_day_shown(today: NaiveDate) -> NaiveDate {
    let start = today - Duration::days(DAYS_SHOWN - 1);
    start + Duration::days(i64::from((7 - start.weekday().num_days_from_monday()) % 7))
}

/// One target seat in the league table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeagueRow {
    pub gss_code: String,
    pub name: String,
    pub region: Option<String>,
    pub win: Option<WinNumber>,
    pub tally: Tally,
    /// Conversations on each of the last [`TREND_DAYS`] days, oldest first.
    pub trend: Vec<i64>,
    /// Conversations in the [`TREND_DAYS`] days before those.
    pub previous: i64,
    pub volunteers_active: i64,
}

impl LeagueRow {
    pub fn recent(&self) -> i64 {
        self.trend.iter().sum()
    }

    /// The majority we must overturn; `None` for seats we hold or have no result for.
    pub fn majority_to_overturn(&self) -> Option<i64> {
        self.win.as_ref().filter(|w| !w.held_by_us).map(|w| w.majority)
    }

    pub fn progress(&self) -> Option<f64> {
        progress_percent(self.tally.supporters, self.win.as_ref())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LeagueSort {
    Majority,
    Contact,
    Progress,
    Trend,
    Volunteers,
    Name,
}

impl LeagueSort {
    pub const ALL: [LeagueSort; 6] = [
        LeagueSort::Name,
        LeagueSort::Majority,
        LeagueSort::Contact,
        LeagueSort::Progress,
        LeagueSort::Trend,
        LeagueSort::Volunteers,
    ];

    pub fn parse(s: &str) -> LeagueSort {
        LeagueSort::ALL.into_iter().find(|k| k.as_str() == s).unwrap_or(LeagueSort::Majority)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LeagueSort::Majority => "majority",
            LeagueSort::Contact => "contact",
            LeagueSort::Progress => "progress",
            LeagueSort::Trend => "trend",
            LeagueSort::Volunteers => "volunteers",
            LeagueSort::Name => "name",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            LeagueSort::Majority => "smallest majority to overturn first",
            LeagueSort::Contact => "highest contact rate first",
            LeagueSort::Progress => "closest to the win number first",
            LeagueSort::Trend => "most conversations in the last 14 days first",
            LeagueSort::Volunteers => "most active volunteers first",
            LeagueSort::Name => "by name",
        }
    }
}

/// Orders the league. Ties, and seats without the figure, fall back to the name.
pub fn sort_league(rows: &mut [LeagueRow], sort: LeagueSort) {
    let desc = |v: Option<f64>| std::cmp::Reverse(v.map(|x| (x * 1000.0) as i64));
    rows.sort_by(|a, b| {
        let primary = match sort {
            LeagueSort::Majority => {
                let key = |r: &LeagueRow| (r.majority_to_overturn().is_none(), r.majority_to_overturn());
                key(a).cmp(&key(b))
            }
            LeagueSort::Contact => desc(a.tally.contact_rate()).cmp(&desc(b.tally.contact_rate())),
            LeagueSort::Progress => desc(a.progress()).cmp(&desc(b.progress())),
            LeagueSort::Trend => b.recent().cmp(&a.recent()),
            LeagueSort::Volunteers => b.volunteers_active.cmp(&a.volunteers_active),
            LeagueSort::Name => std::cmp::Ordering::Equal,
        };
        primary.then_with(|| a.name.cmp(&b.name))
    });
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeagueTable {
    pub rows: Vec<LeagueRow>,
    pub sort: LeagueSort,
    /// The regions present, for the filter; a filter only shows when there are several.
    pub regions: Vec<String>,
    pub region: Option<String>,
}

#[server(prefix = "/api", endpoint = "seat_dashboard")]
pub async fn get_seat_dashboard(gss_code: String) -> Result<SeatDashboard, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    if !user.role.sees_seats() {
        return Err(AppError::Forbidden);
    }
    let seat = crate::seat::queries::find(&state.store, &gss_code).await?;
    crate::auth::scope::require_seat(&state.store, &user, seat.id).await?;
    let dashboard = queries::seat_dashboard(&state.store, seat.id, chrono::Utc::now()).await?;
    Ok(SeatDashboard { names_shown: user.role.sees_names(), ..dashboard })
}

#[server(prefix = "/api", endpoint = "league_table")]
pub async fn get_league_table(sort: String, region: Option<String>) -> Result<LeagueTable, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::require_user().await?;
    queries::league_for(&state.store, &user, LeagueSort::parse(&sort), region, chrono::Utc::now()).await
}

#[cfg(test)]
mod tests;
