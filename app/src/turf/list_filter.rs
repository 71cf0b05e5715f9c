//! Which walk lists the map page shows: a filter read from the page's address (so it is a
//! plain GET form, and works without JavaScript) and one page of the lists it lets through.

use super::ListRow;
use serde::{Deserialize, Serialize};

pub const LISTS_PER_PAGE: usize = 10;

/// Every field empty or `None` means "any". Field names are the query's keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListFilter {
    /// "active", "not_started", "under_way", "finished" (these three are active lists too)
    /// or "closed".
    pub status: String,
    /// A ward ("w12") or a polling district ("d34").
    pub area: String,
    /// "yes" or "no".
    pub assigned: String,
    pub volunteer: Option<i64>,
    /// From 1.
    pub page: usize,
}

pub const STATUS_CHOICES: [(&str, &str); 6] = [
    ("", "Any status"),
    ("active", "Open"),
    ("not_started", "Open, not started"),
    ("under_way", "Open, under way"),
    ("finished", "Open, every door knocked"),
    ("closed", "Closed"),
];

impl ListFilter {
    /// From the page's query string; anything unknown is ignored, not an error.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |k: &str| get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        let one_of = |k: &str, allowed: &[&str]| {
            let v = text(k);
            if allowed.contains(&v.as_str()) {
                v
            } else {
                String::new()
            }
        };
        let area = text("area");
        let area_ok = area.len() > 1
            && (area.starts_with('w') || area.starts_with('d'))
            && area[1..].parse::<i64>().is_ok();
        ListFilter {
            status: one_of("status", &STATUS_CHOICES.map(|(code, _)| code)),
            area: if area_ok { area } else { String::new() },
            assigned: one_of("assigned", &["yes", "no"]),
            volunteer: text("volunteer").parse().ok(),
            page: text("page").parse().unwrap_or(1).max(1),
        }
    }

    /// The query string for this filter on another page ("" for the first page of all lists).
    pub fn query(&self, page: usize) -> String {
        let mut parts = Vec::new();
        for (key, value) in [("status", &self.status), ("area", &self.area), ("assigned", &self.assigned)] {
            if !value.is_empty() {
                parts.push(format!("{key}={value}"));
            }
        }
        if let Some(v) = self.volunteer {
            parts.push(format!("volunteer={v}"));
        }
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    pub fn is_empty(&self) -> bool {
        self.status.is_empty() && self.area.is_empty() && self.assigned.is_empty() && self.volunteer.is_none()
    }

    fn keeps(&self, row: &ListRow) -> bool {
        let open = row.status == "active";
        let status = match self.status.as_str() {
            "active" => open,
            "not_started" => open && row.knocked == 0,
            "under_way" => open && row.knocked > 0 && row.knocked < row.doors,
            "finished" => open && row.knocked >= row.doors,
            "closed" => row.status == "closed",
            _ => true,
        };
        let area = match self.area.split_at_checked(1) {
            Some(("w", id)) => id.parse().is_ok_and(|id: i64| row.wards.contains(&id)),
            Some(("d", id)) => id.parse().is_ok_and(|id: i64| row.districts.contains(&id)),
            _ => true,
        };
        let assigned = match self.assigned.as_str() {
            "yes" => !row.volunteer_ids.is_empty(),
            "no" => row.volunteer_ids.is_empty(),
            _ => true,
        };
        let volunteer = self.volunteer.is_none_or(|v| row.volunteer_ids.contains(&v));
        status && area && assigned && volunteer
    }
}

/// One page of the lists a filter lets through, and every match in short for the
/// assignment form's choice of list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListPage {
    pub rows: Vec<ListRow>,
    /// How many lists match, and how many the seat has.
    pub matching: usize,
    pub all: usize,
    pub page: usize,
    pub pages: usize,
    /// (id, name, doors) of every matching list, newest first.
    pub choices: Vec<(i64, String, i64)>,
}

pub fn filter_lists(rows: Vec<ListRow>, filter: &ListFilter) -> ListPage {
    let all = rows.len();
    let kept: Vec<ListRow> = rows.into_iter().filter(|r| filter.keeps(r)).collect();
    let pages = kept.len().div_ceil(LISTS_PER_PAGE).max(1);
    let page = filter.page.clamp(1, pages);
    let choices = kept.iter().map(|r| (r.id, r.name.clone(), r.doors)).collect();
    let matching = kept.len();
    let rows = kept.into_iter().skip((page - 1) * LISTS_PER_PAGE).take(LISTS_PER_PAGE).collect();
    ListPage { rows, matching, all, page, pages, choices }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, status: &str, doors: i64, knocked: i64, wards: &[i64], volunteers: &[i64]) -> ListRow {
        ListRow {
            id,
            name: format!("List {id}"),
            status: status.into(),
            code: None,
            doors,
            knocked,
            session_title: None,
            starts_at: None,
            volunteers: None,
            reissued_from: None,
            volunteer_ids: volunteers.to_vec(),
            wards: wards.to_vec(),
            districts: wards.iter().map(|w| w * 10).collect(),
            main_ward: wards.first().copied(),
        }
    }

    fn ids(page: &ListPage) -> Vec<i64> {
        page.rows.iter().map(|r| r.id).collect()
    }

    fn query(pairs: &[(&str, &str)]) -> ListFilter {
        ListFilter::from_query(|k| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn each_filter_narrows_the_lists_and_they_combine() {
        let rows = vec![
            row(5, "active", 30, 0, &[1], &[]),
            row(4, "active", 30, 12, &[1, 2], &[7]),
            row(3, "active", 30, 30, &[2], &[8]),
            row(2, "closed", 30, 5, &[2], &[7]),
        ];
        let run = |pairs: &[(&str, &str)]| ids(&filter_lists(rows.clone(), &query(pairs)));
        assert_eq!(run(&[]), vec![5, 4, 3, 2]);
        assert_eq!(run(&[("status", "active")]), vec![5, 4, 3]);
        assert_eq!(run(&[("status", "not_started")]), vec![5]);
        assert_eq!(run(&[("status", "under_way")]), vec![4]);
        assert_eq!(run(&[("status", "finished")]), vec![3]);
        assert_eq!(run(&[("status", "closed")]), vec![2]);
        assert_eq!(run(&[("area", "w2")]), vec![4, 3, 2]);
        assert_eq!(run(&[("area", "d10")]), vec![5, 4]);
        assert_eq!(run(&[("assigned", "no")]), vec![5]);
        assert_eq!(run(&[("assigned", "yes")]), vec![4, 3, 2]);
        assert_eq!(run(&[("volunteer", "7")]), vec![4, 2]);
        assert_eq!(run(&[("volunteer", "7"), ("status", "active"), ("area", "w2")]), vec![4]);
        // Nonsense in the address is ignored rather than refused.
        assert_eq!(run(&[("status", "'; DROP"), ("area", "x1"), ("volunteer", "abc")]), vec![5, 4, 3, 2]);
    }

    #[test]
    fn pages_hold_ten_lists_and_a_page_past_the_end_shows_the_last() {
        let rows: Vec<ListRow> = (1..=23).rev().map(|id| row(id, "active", 30, 0, &[1], &[])).collect();
        let first = filter_lists(rows.clone(), &ListFilter::default());
        assert_eq!((first.matching, first.all, first.page, first.pages), (23, 23, 1, 3));
        assert_eq!(first.rows.len(), LISTS_PER_PAGE);
        assert_eq!(first.choices.len(), 23, "the assignment form can choose any matching list");
        let last = filter_lists(rows, &query(&[("page", "9")]));
        assert_eq!((last.page, ids(&last)), (3, vec![3, 2, 1]));
    }

    #[test]
    fn a_filter_writes_itself_back_as_an_address() {
        let f = query(&[("status", "closed"), ("area", "w3"), ("volunteer", "12"), ("page", "2")]);
        assert_eq!(f.query(3), "?status=closed&area=w3&volunteer=12&page=3");
        assert_eq!(ListFilter::default().query(1), "");
        assert!(ListFilter::default().is_empty() && !f.is_empty());
    }
}
