//! Cell thresholds (k users, k sessions): every aggregate a multi-person
//! report shows describes at least `k_users` distinct people and `k_sessions`
//! sessions; smaller cells are shown as suppressed, never silently dropped.
//! A one-person report applies no thresholds (DESIGN.md "Users").

use serde::Serialize;

pub const DEFAULT_K_USERS: usize = 5;
pub const DEFAULT_K_SESSIONS: usize = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Thresholds {
    pub k_users: usize,
    pub k_sessions: usize,
    /// False for a one-person report (no cell is suppressed).
    pub active: bool,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            k_users: DEFAULT_K_USERS,
            k_sessions: DEFAULT_K_SESSIONS,
            active: true,
        }
    }
}

impl Thresholds {
    /// Thresholds for a report covering `people` distinct users: active
    /// whenever more than one person is covered.
    pub fn for_people(people: usize, k_users: usize, k_sessions: usize) -> Self {
        Thresholds {
            k_users,
            k_sessions,
            active: people > 1,
        }
    }

    /// None when a cell with `users` people and `sessions` sessions may be
    /// shown; otherwise why it is suppressed.
    pub fn suppress(&self, users: usize, sessions: usize) -> Option<String> {
        if !self.active {
            return None;
        }
        if users < self.k_users {
            Some(format!("fewer than {} people", self.k_users))
        } else if sessions < self.k_sessions {
            Some(format!("fewer than {} sessions", self.k_sessions))
        } else {
            None
        }
    }

    pub fn passes(&self, users: usize, sessions: usize) -> bool {
        self.suppress(users, sessions).is_none()
    }

    pub fn describe(&self) -> String {
        if self.active {
            format!(
                "every cell covers at least {} people and {} sessions; smaller cells are shown as suppressed",
                self.k_users, self.k_sessions
            )
        } else {
            "one person: no cell thresholds applied".to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_apply_only_to_multi_person_reports() {
        let one = Thresholds::for_people(1, 5, 15);
        assert!(one.passes(1, 1));
        let many = Thresholds::for_people(2, 5, 15);
        assert!(!many.passes(4, 100));
        assert!(!many.passes(5, 14));
        assert!(many.passes(5, 15));
        assert!(many.suppress(4, 100).unwrap().contains("5 people"));
        assert!(many.suppress(9, 3).unwrap().contains("15 sessions"));
    }
}
