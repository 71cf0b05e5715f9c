//! What happened at a door. On the wire and in the database it stays its text code
//! (`DoorEntry.result`, `conversations.result`): an unknown code is refused by
//! `validate` with a reason the volunteer can act on, not by the JSON decoder.

/// What happened at a door, or an undo of an earlier entry there (see `correction`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DoorResult {
    NotIn,
    Spoke,
    Refused,
    Moved,
    WrongAddress,
    Deceased,
    ComeBack,
    Inaccessible,
    /// Nothing happened after all: takes the earlier entry away and is never stored.
    Undo,
}

impl DoorResult {
    /// The results a volunteer can record, in the order the door form offers them.
    pub const AT_THE_DOOR: [DoorResult; 8] = [
        DoorResult::NotIn,
        DoorResult::Spoke,
        DoorResult::Refused,
        DoorResult::Moved,
        DoorResult::WrongAddress,
        DoorResult::Deceased,
        DoorResult::ComeBack,
        DoorResult::Inaccessible,
    ];

    pub fn parse(code: &str) -> Option<DoorResult> {
        Self::AT_THE_DOOR.into_iter().chain([DoorResult::Undo]).find(|r| r.code() == code)
    }

    /// The stored code.
    pub const fn code(self) -> &'static str {
        match self {
            DoorResult::NotIn => "not_in",
            DoorResult::Spoke => "spoke",
            DoorResult::Refused => "refused",
            DoorResult::Moved => "moved",
            DoorResult::WrongAddress => "wrong_address",
            DoorResult::Deceased => "deceased",
            DoorResult::ComeBack => "come_back",
            DoorResult::Inaccessible => "inaccessible",
            DoorResult::Undo => "undo",
        }
    }

    /// What the volunteer reads (a campaign may rename it: `DoorstepSettings::results`).
    const fn label(self) -> &'static str {
        match self {
            DoorResult::NotIn => "Not in",
            DoorResult::Spoke => "Spoke",
            DoorResult::Refused => "Refused",
            DoorResult::Moved => "Moved away",
            DoorResult::WrongAddress => "Wrong address",
            DoorResult::Deceased => "Deceased",
            DoorResult::ComeBack => "Come back later",
            DoorResult::Inaccessible => "Inaccessible",
            DoorResult::Undo => "Recorded",
        }
    }

    /// Someone was spoken to: only then does an entry carry answers about the voter.
    pub fn spoke(self) -> bool {
        self == DoorResult::Spoke
    }
}

/// What happened at a door: the stored code and what the volunteer reads.
pub const RESULTS: [(&str, &str); 8] = {
    let mut out = [("", ""); 8];
    let mut i = 0;
    while i < out.len() {
        let r = DoorResult::AT_THE_DOOR[i];
        out[i] = (r.code(), r.label());
        i += 1;
    }
    out
};

pub fn result_label(code: &str) -> &'static str {
    RESULTS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l).unwrap_or("Recorded")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_itself() {
        let codes: Vec<&str> = RESULTS.iter().map(|(c, _)| *c).collect();
        assert_eq!(
            codes,
            ["not_in", "spoke", "refused", "moved", "wrong_address", "deceased", "come_back", "inaccessible"]
        );
        for code in codes.into_iter().chain(["undo"]) {
            assert_eq!(DoorResult::parse(code).map(DoorResult::code), Some(code));
        }
        assert_eq!(DoorResult::parse("asleep"), None);
        assert_eq!(DoorResult::parse("Spoke"), None, "codes are exact");
        assert_eq!(DoorResult::parse(""), None);
    }

    #[test]
    fn only_spoke_is_a_conversation_and_labels_are_the_forms() {
        let spoke: Vec<_> = DoorResult::AT_THE_DOOR.into_iter().filter(|r| r.spoke()).collect();
        assert_eq!(spoke, [DoorResult::Spoke]);
        assert_eq!(result_label("come_back"), "Come back later");
        assert_eq!(result_label("undo"), "Recorded", "never stored, so never shown as a result");
        assert_eq!(result_label("asleep"), "Recorded");
    }
}
