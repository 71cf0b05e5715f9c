//! The demo's people and campaign as plain data: what the generator makes
//! (generate.rs, activity.rs) and the loader writes (mod.rs).

use chrono::{DateTime, NaiveDate, Utc};

pub struct PollingDistrict {
    pub ward: usize,
    pub code: String,
    pub name: String,
}

pub struct Household {
    pub pd: usize,
    pub address_key: String,
    pub address1: String,
    pub address2: Option<String>,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub lat: f64,
    pub lon: f64,
}

pub struct Elector {
    pub household: usize,
    pub pd: usize,
    pub number: i64,
    pub markers: &'static str,
    pub title: &'static str,
    pub first_name: &'static str,
    pub surname: &'static str,
    pub attainment_date: Option<NaiveDate>,
}

pub struct People {
    pub polling_districts: Vec<PollingDistrict>,
    pub households: Vec<Household>,
    pub electors: Vec<Elector>,
    pub volunteers: Vec<Volunteer>,
    pub sessions: Vec<Session>,
    pub walk_lists: Vec<WalkList>,
    pub conversations: Vec<Conversation>,
    /// Index of the volunteer who is the demo volunteer account.
    pub demo_volunteer: usize,
}

pub struct Volunteer {
    pub first_name: &'static str,
    pub surname: &'static str,
    pub ward: usize,
    pub stage: &'static str,
}

pub struct Session {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub meeting_point: String,
    pub lat: f64,
    pub lon: f64,
    pub capacity: i64,
    /// (volunteer, attended, hours)
    pub attendance: Vec<(usize, bool, Option<f64>)>,
}

pub struct WalkList {
    pub session: usize,
    pub name: String,
    pub households: Vec<usize>,
    pub volunteers: Vec<usize>,
}

pub struct Conversation {
    pub id: String,
    pub household: usize,
    pub elector: Option<usize>,
    pub walk_list: usize,
    pub volunteer: usize,
    pub result: &'static str,
    pub intention: Option<&'static str>,
    pub intention_source: Option<&'static str>,
    pub firmness: Option<i64>,
    pub made_at: DateTime<Utc>,
    /// Codes from the default issue list.
    pub issues: Vec<&'static str>,
    /// (kind, done): what the voter asked for, and whether an organiser has seen to it.
    pub follow_ups: Vec<(&'static str, bool)>,
}
