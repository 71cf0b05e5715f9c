//! When a volunteer can help, as day-and-time codes such as `sat_am`.

/// Days and parts of the day a volunteer can help: stored as codes such as `sat_am`.
pub const DAYS: [(&str, &str); 7] = [
    ("mon", "Mon"),
    ("tue", "Tue"),
    ("wed", "Wed"),
    ("thu", "Thu"),
    ("fri", "Fri"),
    ("sat", "Sat"),
    ("sun", "Sun"),
];
pub const TIMES: [(&str, &str); 3] = [("am", "Morning"), ("pm", "Afternoon"), ("eve", "Evening")];

/// Every availability code, Monday morning first.
pub fn availability_codes() -> Vec<String> {
    DAYS.iter().flat_map(|(d, _)| TIMES.iter().map(move |(t, _)| format!("{d}_{t}"))).collect()
}

/// Reads availability codes separated by spaces, commas or semicolons, in week order.
pub fn parse_availability(text: &str) -> Result<Vec<String>, String> {
    let known = availability_codes();
    let mut given = Vec::new();
    for code in text.split([',', ';', ' ']).map(str::trim).filter(|c| !c.is_empty()) {
        let code = code.to_ascii_lowercase();
        if !known.contains(&code) {
            return Err(format!("\"{code}\" is not a day and time such as sat_am, wed_eve"));
        }
        given.push(code);
    }
    Ok(known.into_iter().filter(|k| given.contains(k)).collect())
}

/// "sat_am" → "Sat morning".
pub fn availability_label(code: &str) -> String {
    let (day, time) = code.split_once('_').unwrap_or((code, ""));
    let day = DAYS.iter().find(|(d, _)| *d == day).map(|(_, l)| *l).unwrap_or(day);
    let time = TIMES.iter().find(|(t, _)| *t == time).map(|(_, l)| l.to_lowercase()).unwrap_or_default();
    format!("{day} {time}")
}
