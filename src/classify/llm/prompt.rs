//! What the LLM backends send besides the transcript (the answer-format
//! instruction appended to each facet's rubric), and how answers are parsed
//! and checked against the closed label sets. Wording is ours.

use crate::classify::rubric::{rubric, RUBRIC_SET_VERSION};
use crate::classify::{Actor, Decision, DecisionKind, Decisions, FacetId, Label};
use serde_json::Value;

/// Bumped whenever the instruction or the parsing below changes (part of the
/// cache key together with the facet's rubric version).
pub const FORMAT_VERSION: &str = "f1";

/// The cache key's rubric part for one facet.
pub fn rubric_key(f: FacetId) -> String {
    format!(
        "{}/{}+{}",
        RUBRIC_SET_VERSION,
        rubric(f).version,
        FORMAT_VERSION
    )
}

fn title(f: FacetId) -> &'static str {
    match f {
        FacetId::WorkMode => "work mode",
        FacetId::Codebase => "relationship to a codebase",
        FacetId::Decisions => "decision attribution",
        FacetId::Expertise => "task-specific expertise of the user",
        FacetId::OccupationUser => "the user's own likely occupation",
        FacetId::OccupationWork => "the occupation that would normally do this work",
        FacetId::Outcome => "outcome",
        FacetId::SuccessSignal => "strength of the evidence of success",
        FacetId::FailureSignal => "strength of the evidence of failure",
    }
}

/// A short stand-in used only while a facet's rubric text is empty.
fn fallback(f: FacetId) -> &'static str {
    match f {
        FacetId::WorkMode => "Decide where the bulk of this coding-agent session's work went.",
        FacetId::Codebase => "Decide how the session relates to a codebase: changing existing code, exploring code without changing it, writing new code from nothing, or no codebase at all.",
        FacetId::Decisions => "List the meaningful decisions taken in this session. A planning decision settles what to do, which approach to take or when the work counts as done; an execution decision settles which files, which code, which language or which commands. Attribute each one to the person (user) or to the agent.",
        FacetId::Expertise => "Rate how expert the person is at this particular task, from how specific their setup is, what kind of checking they ask for, and who corrects whom.",
        FacetId::OccupationUser => "Guess the person's own profession from side signals only (project context, file and folder names, vocabulary, referenced artifacts). Writing code is not by itself a sign of a software job.",
        FacetId::OccupationWork => "Name the occupation that would normally do the work of this session.",
        FacetId::Outcome => "Find the person's main objective and judge whether it was met.",
        FacetId::SuccessSignal => "Rate how strong the evidence of success is.",
        FacetId::FailureSignal => "Rate how strong the evidence of failure is at the end of the session.",
    }
}

fn label_list(f: FacetId) -> String {
    serde_json::to_string(rubric(f).labels).unwrap_or_default()
}

/// The system prompt for one facet: the rubric text, then how to answer.
pub fn system_prompt(f: FacetId) -> String {
    let r = rubric(f);
    let mut s = String::new();
    if r.text.trim().is_empty() {
        s.push_str(&format!("# Facet: {}\n\n{}\n", title(f), fallback(f)));
    } else {
        s.push_str(r.text.trim_end());
        s.push('\n');
    }
    s.push_str("\n## How to answer\n\n");
    s.push_str(
        "The user message holds the transcript of one session between a person (USER) and an AI coding agent \
(ASSISTANT), with the agent's tool calls, tool results and system events. Long turns were shortened in the \
middle and a long transcript may have been shortened too; shortening is mechanical and is not evidence of \
anything. Placeholders such as [SECRET:...], [EMAIL], [PHONE], [IP] and [USER] stand for private data that \
was removed before sending; they are not evidence either.\n\n",
    );
    if f == FacetId::Decisions {
        s.push_str(
            "Reply with one JSON object and nothing else (no code fence, no text around it):\n\
{\"decisions\": [{\"what\": \"<a few words naming the decision>\", \"kind\": \"planning\" or \"execution\", \"by\": \"user\" or \"agent\"}], \
\"confidence\": <how sure you are of the list, a number from 0 to 1>, \"reason\": \"<one sentence; do not quote private data>\"}\n\
\"kind\" must be exactly \"planning\" or \"execution\"; \"by\" must be exactly \"user\" or \"agent\". \
Use an empty list when the session holds no meaningful decision.\n",
        );
    } else {
        s.push_str(&format!(
            "Choose exactly one label from this closed list (JSON array):\n{}\n\n\
Reply with one JSON object and nothing else (no code fence, no text around it):\n\
{{\"label\": \"<one label from the list, spelled exactly as listed>\", \"confidence\": <how sure you are that the label is right, a number from 0 to 1>, \
\"reason\": \"<one or two sentences naming the evidence in the transcript; do not quote private data>\"}}\n",
            label_list(f)
        ));
    }
    s
}

/// The follow-up sent once after an answer that could not be used.
pub fn corrective(f: FacetId, problem: &str) -> String {
    if f == FacetId::Decisions {
        format!(
            "Your reply could not be used: {problem}. Reply again with only the JSON object described in the \
instructions: {{\"decisions\": [...], \"confidence\": ..., \"reason\": ...}}, where each decision has \"what\", \
\"kind\" (\"planning\" or \"execution\") and \"by\" (\"user\" or \"agent\")."
        )
    } else {
        format!(
            "Your reply could not be used: {problem}. Reply again with only the JSON object described in the \
instructions: {{\"label\": ..., \"confidence\": ..., \"reason\": ...}}, where the label is exactly one of {}.",
            label_list(f)
        )
    }
}

/// A parsed, valid answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Label(Label),
    Decisions(Decisions),
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The allowed label `given` stands for: exact, or equal ignoring case and
/// white space. Nothing looser (no guessing).
pub fn match_label(allowed: &[&'static str], given: &str) -> Option<&'static str> {
    if let Some(l) = allowed.iter().find(|l| **l == given) {
        return Some(l);
    }
    let g = norm(given);
    allowed.iter().find(|l| norm(l) == g).copied()
}

/// Finds the JSON object in a reply: the whole text, or inside a code fence,
/// or from the first `{` to the last `}` (models sometimes add a sentence or
/// a thinking block).
fn json_object(text: &str) -> Option<Value> {
    let mut t = text.trim();
    if let Some(i) = t.rfind("</think>") {
        t = t[i + "</think>".len()..].trim();
    }
    if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(t) {
        return Some(v);
    }
    let a = t.find('{')?;
    let b = t.rfind('}')?;
    if b <= a {
        return None;
    }
    match serde_json::from_str::<Value>(&t[a..=b]) {
        Ok(v @ Value::Object(_)) => Some(v),
        _ => None,
    }
}

fn confidence(v: &Value) -> (f32, bool) {
    let c = match v.get("confidence") {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().trim_end_matches('%').trim().parse::<f64>().ok(),
        _ => None,
    };
    match c {
        Some(c) if c.is_finite() => {
            let c = if c > 1.0 && c <= 100.0 { c / 100.0 } else { c };
            (c.clamp(0.0, 1.0) as f32, true)
        }
        _ => (0.5, false),
    }
}

fn reason(v: &Value) -> Vec<String> {
    match v.get("reason") {
        Some(Value::String(s)) if !s.trim().is_empty() => {
            vec![crate::privacy::scrub::scrub(s.trim()).into_owned()]
        }
        _ => Vec::new(),
    }
}

/// Parses and checks one reply for facet `f`. `Err` says what was wrong, in
/// words that can be sent back to the model.
pub fn parse_answer(f: FacetId, text: &str) -> Result<Answer, String> {
    let v = json_object(text).ok_or_else(|| "the reply was not a JSON object".to_string())?;
    let (conf, had_conf) = confidence(&v);
    let mut reasons = reason(&v);
    if !had_conf {
        reasons.push("the model gave no usable confidence; 0.5 recorded".into());
    }
    if f == FacetId::Decisions {
        let list = match v.get("decisions") {
            Some(Value::Array(a)) => a,
            Some(_) => return Err("\"decisions\" must be a JSON array".into()),
            None => return Err("the object has no \"decisions\" field".into()),
        };
        let mut out = Vec::with_capacity(list.len());
        for (i, d) in list.iter().enumerate() {
            let field = |k: &str| d.get(k).and_then(Value::as_str).map(str::to_string);
            let what = field("what").unwrap_or_default();
            let kind = match field("kind").as_deref().map(norm).as_deref() {
                Some("planning") => DecisionKind::Planning,
                Some("execution") => DecisionKind::Execution,
                other => {
                    return Err(format!(
                        "decision {} has kind {:?}; it must be \"planning\" or \"execution\"",
                        i + 1,
                        other.unwrap_or("(missing)")
                    ))
                }
            };
            let by = match field("by").as_deref().map(norm).as_deref() {
                Some("user") => Actor::User,
                Some("agent") => Actor::Agent,
                other => {
                    return Err(format!(
                        "decision {} has by {:?}; it must be \"user\" or \"agent\"",
                        i + 1,
                        other.unwrap_or("(missing)")
                    ))
                }
            };
            let what: String = what.trim().chars().take(300).collect();
            out.push(Decision {
                what: crate::privacy::scrub::scrub(&what).into_owned(),
                kind,
                by,
            });
        }
        return Ok(Answer::Decisions(Decisions::from_list(out, conf, reasons)));
    }
    let given = match v.get("label") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err("\"label\" must be a string".into()),
        None => return Err("the object has no \"label\" field".into()),
    };
    let allowed = rubric(f).labels;
    match match_label(allowed, &given) {
        Some(l) => Ok(Answer::Label(Label {
            value: l.to_string(),
            confidence: conf,
            reasons,
        })),
        None => Err(format!(
            "{:?} is not one of the allowed labels",
            given.chars().take(80).collect::<String>()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_case_space_insensitive_only() {
        let a = rubric(FacetId::Outcome).labels;
        assert_eq!(match_label(a, "Succeeded"), Some("Succeeded"));
        assert_eq!(
            match_label(a, " partially  succeeded "),
            Some("Partially Succeeded")
        );
        assert_eq!(
            match_label(a, "PartiallySucceeded"),
            Some("Partially Succeeded")
        );
        assert_eq!(match_label(a, "Success"), None);
        assert_eq!(match_label(a, "Partially_Succeeded"), None);
        let c = rubric(FacetId::Codebase).labels;
        assert_eq!(match_label(c, "modify existing"), None);
    }

    #[test]
    fn parses_labels_numbers_fences_and_rejects_off_list() {
        let r = parse_answer(
            FacetId::WorkMode,
            "```json\n{\"label\": \"fix\", \"confidence\": 0.8, \"reason\": \"a failing test was repaired\"}\n```",
        )
        .unwrap();
        match r {
            Answer::Label(l) => {
                assert_eq!(l.value, "Fix");
                assert!((l.confidence - 0.8).abs() < 1e-6);
                assert_eq!(l.reasons, vec!["a failing test was repaired".to_string()]);
            }
            _ => panic!("label expected"),
        }
        let r = parse_answer(FacetId::Expertise, "{\"label\": 4, \"confidence\": 85}").unwrap();
        match r {
            Answer::Label(l) => {
                assert_eq!(l.value, "4");
                assert!((l.confidence - 0.85).abs() < 1e-6);
            }
            _ => panic!(),
        }
        assert!(parse_answer(FacetId::WorkMode, "{\"label\": \"Debug\"}")
            .unwrap_err()
            .contains("not one of the allowed labels"));
        assert!(parse_answer(FacetId::WorkMode, "I think it is Fix.").is_err());
        assert!(parse_answer(FacetId::WorkMode, "{\"label\": \"Fix\"").is_err());
        assert!(parse_answer(FacetId::WorkMode, "{\"mode\": \"Fix\"}").is_err());
        // Reasons are scrubbed.
        let r = parse_answer(
            FacetId::Outcome,
            "<think>hmm</think>{\"label\":\"Failed\",\"confidence\":0.6,\"reason\":\"mail a.person@fastmail.fm failed\"}",
        )
        .unwrap();
        match r {
            Answer::Label(l) => assert_eq!(l.reasons, vec!["mail [EMAIL] failed".to_string()]),
            _ => panic!(),
        }
    }

    #[test]
    fn parses_decisions() {
        let r = parse_answer(
            FacetId::Decisions,
            r#"{"decisions":[{"what":"use sqlite","kind":"planning","by":"user"},
                {"what":"edit db.rs","kind":"Execution","by":"agent"},
                {"what":"run tests","kind":"execution","by":"agent"}],"confidence":0.7,"reason":"x"}"#,
        )
        .unwrap();
        match r {
            Answer::Decisions(d) => {
                assert_eq!(d.decisions.len(), 3);
                assert_eq!(d.user_planning_share, Some(1.0));
                assert_eq!(d.user_execution_share, Some(0.0));
            }
            _ => panic!(),
        }
        assert!(parse_answer(
            FacetId::Decisions,
            r#"{"decisions":[{"what":"x","kind":"strategy","by":"user"}]}"#
        )
        .is_err());
        assert!(parse_answer(
            FacetId::Decisions,
            r#"{"decisions":[{"what":"x","kind":"planning","by":"both"}]}"#
        )
        .is_err());
        match parse_answer(FacetId::Decisions, r#"{"decisions":[]}"#).unwrap() {
            Answer::Decisions(d) => assert_eq!(d.user_planning_share, None),
            _ => panic!(),
        }
    }

    #[test]
    fn system_prompt_lists_labels() {
        for f in FacetId::ALL {
            let s = system_prompt(f);
            assert!(s.contains("JSON object"));
            for l in rubric(f).labels {
                assert!(s.contains(&format!("\"{l}\"")), "{f:?} lacks {l}");
            }
        }
    }
}
