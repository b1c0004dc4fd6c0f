//! Explicit user affirmation ("thanks, works", "perfect", "lgtm") or
//! complaint ("still broken", "that's wrong", "undo that") in the human
//! prompts after the first one (the first prompt states the task; feedback on
//! the agent's work can only come later).
//!
//! Precision matters more than recall, so a phrase counts only at the start
//! of a clause (after an optional interjection such as "ok," or "oof"), in the
//! head of the prompt, and never in a question or when negated right after
//! ("works?" / "not working yet? thanks" / "funktioniert nicht"). A prompt
//! with a complaint is never also an affirmation. Pasted terminal output and
//! slash commands are skipped. Word lists cover English and the other
//! languages seen in agent sessions (Chinese, French, Spanish, Portuguese,
//! German, Korean, Japanese); they are our own lists.

use super::{Evidence, EvidenceItem};
use crate::session::{Session, Turn};
use regex::Regex;
use std::sync::LazyLock;

/// How much of a prompt's head is read (characters).
const HEAD_CHARS: usize = 240;
/// How many leading clauses may carry the feedback.
const MAX_CLAUSES: usize = 3;

static INTERJECTION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:(?:ok(?:ay)?|oh|ah|wow|yes|yeah|yep|hmm+|um+|so|and|but|hey|oof|ugh+|argh+|sorry|alright|cool|hm+)\b|好的|嗯|哦|啊)[\s,!.，。！]*)+",
    )
    .unwrap()
});

static AFFIRM_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:",
        // English
        r"thanks?\b|thank you|thx\b|ty\b|tysm\b|perfect\b|great\b|awesome\b|excellent\b|amazing\b",
        r"|fantastic\b|brilliant\b|beautiful\b|nice\b|sweet\b|neat\b|lgtm\b|love it\b|nailed it\b",
        r"|(?:it |this |that |everything |all )?(?:works|worked|is working|'s working)\b",
        r"|working now\b|works now\b|(?:it'?s|it is|that'?s|all|now) fixed\b|(?:that |this |it )?(?:fixed it|did it|did the trick|solved it)\b",
        r"|good job\b|well done\b|great job\b|nice work\b|good work\b|all good\b|much better\b|looks? (?:good|great|perfect)\b",
        r"|(?:it |this |that )?looks? (?:really |so |very )?(?:good|great|nice|amazing|awesome|perfect|better)\b",
        r"|(?:that'?s|thats|that is|this is|it'?s|it is) (?:is )?(?:pretty |really |so |very )?(?:awesome|great|perfect|amazing|excellent|brilliant|fantastic|dope|sick|much better|exactly (?:it|what i wanted))\b",
        r"|exactly what i (?:wanted|needed)\b",
        // Chinese
        r"|谢谢|多谢|感谢|完美|太好了|太棒了|非常好|很好|不错|搞定了|成功了|可以了|没问题了|解决了|正常了|好使了|能用了|好用",
        // French
        r"|merci\b|parfait\b|super\b|génial|genial\b|excellent\b|nickel\b|impeccable\b|ça marche|ca marche|ça fonctionne|c'est bon\b|bravo\b|très bien|tres bien",
        // Spanish
        r"|gracias\b|perfecto\b|excelente\b|funciona\b|ya funciona|muy bien\b",
        // Portuguese
        r"|obrigad[oa]\b|valeu\b|perfeito\b|ótimo|otimo\b|funcionou\b|deu certo\b",
        // German
        r"|danke\b|perfekt\b|klasse\b|funktioniert\b|es funktioniert|passt\b|sehr gut\b",
        // Korean
        r"|감사|고마워|고맙|완벽|좋아요|좋네요|잘 ?(?:됩니다|되네요|돼요|작동)",
        // Japanese
        r"|ありがとう|完璧|素晴らしい|いいですね|動きました|うまくいきました",
        r")",
    ))
    .unwrap()
});

/// Words right after an affirmation that negate or question it.
static AFFIRM_VETO_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:not\b|n't\b|nicht\b|pas\b|no\b|yet\b|until\b|if\b|when\b|but\b|except\b|for (?:nothing|now)\b|to have\b|noch nicht|ainda não|todavía no|不)")
        .unwrap()
});

static COMPLAIN_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:",
        // English
        r"(?:it |this |that |which )?(?:still )?(?:doesn'?t|does not|didn'?t|did not|won'?t|will not|isn'?t|is not|wasn'?t) (?:work|fix|change|help|do anything|correct|solve|resolve|copy|save|apply|install|update|start|load|show|open|build|compile)",
        r"|i (?:don'?t|do not|can'?t|cannot) see (?:it|them|any (?:change|difference)|the change)\b",
        r"|(?:[\w']+ ){0,3}?(?:isn'?t|is not|aren'?t|are not|wasn'?t|was not) (?:right|correct|working|fixed)(?: still)?\b",
        r"|(?:something|it|this|that)(?:'s| is) (?:not right|wrong|off|broken)\b",
        r"|(?:it|this|that)(?: is|'s) (?:still )?not (?:display|show|load|work|detect|start|open|run|sav|build|compil|updat|chang|render|connect)\w*",
        r"|(?:it|this|that)(?: is|'s) (?:still |now )?\w+ing (?:the )?wrong\b",
        r"|(?:it|this|that) (?:was|looked|worked) better before\b|forget it\b",
        r"|(?:now )?(?:the |my |all )?(?:[\w-]+ ){0,3}(?:is|are|got) (?:gone|broken|deleted)\b",
        r"|(?:it |this |that )?(?:still )?(?:not|never) (?:working|fixed|work)",
        r"|(?:it'?s |it is |this is |that'?s |that is |it |this |that )?still (?:broken|not|fails?|failing|crash(?:es|ing)?|wrong|the same|there|happening|showing|getting|seeing|no\b|an? (?:error|issue|problem))",
        r"|(?:it'?s |it is |this is |that'?s |that is |you'?re |you are )(?:wrong|incorrect|broken|worse|even worse|not (?:right|correct|what i))",
        r"|(?:it'?s |it is |this is |that'?s )?getting worse",
        r"|you (?:broke|deleted|removed|ignored|forgot|missed|messed|didn'?t|did not|keep)",
        r"|(?:that'?s )?not what i (?:asked|wanted|meant|said)",
        r"|(?:undo|revert|roll ?back) (?:that|this|it|the|your|those|these|what|everything|all|my)\b",
        r"|(?:the )?same (?:error|issue|problem|result|thing)",
        r"|nothing (?:changed|happened|works)|no (?:change|difference)\b",
        r"|wtf\b|what the (?:hell|fuck|heck)|ffs\b|seriously\b|come on\b",
        r"|wrong\b|incorrect\b|nope\b|broken\b",
        r"|i (?:said|told you|already told you|asked (?:you )?(?:to|for|not))\b",
        // Chinese
        r"|(?:还是|仍然|依然|又)?(?:不行|没用|不对|错了|报错|有问题|失败了|坏了|不工作|不起作用|没有(?:变化|效果|生效|反应))",
        r"|不是我要的|不是这个意思|撤销|回滚|你(?:删|改)错",
        // French
        r"|(?:ça|ca|cela) (?:ne )?(?:marche|fonctionne) (?:pas|toujours pas|plus)|(?:toujours|encore) (?:pas|la même erreur|cassé|le même)|c'est (?:faux|cassé|pire|pas (?:ça|ce que))|annule\b",
        // Spanish
        r"|no funciona|sigue sin funcionar|sigue (?:fallando|roto|igual)|está mal|eso no es|todavía no funciona|deshaz",
        // Portuguese
        r"|não funciona|nao funciona|ainda não funciona|continua (?:com erro|quebrado|igual)|está errado|não era isso|desfaz",
        // German
        r"|funktioniert (?:nicht|immer noch nicht|noch nicht)|geht (?:nicht|immer noch nicht)|immer noch (?:kaputt|falsch|nicht|der gleiche)|das ist falsch|falsch\b|mach das rückgängig",
        // Korean
        r"|안 ?(?:돼|됩니다|되네요|되요)|여전히|아직도? 안|작동하지 않|틀렸|잘못",
        // Japanese
        r"|動きません|動かない|まだ(?:動かない|エラー|ダメ)|ダメ|違います|違う|エラーが出",
        r")",
    ))
    .unwrap()
});

/// "not broken anymore", "no longer fails": a negated complaint.
static COMPLAIN_VETO_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:anymore|any more|no longer)\b").unwrap());

/// Pasted terminal output or logs rather than feedback.
fn looks_pasted(p: &str) -> bool {
    let t = p.trim_start();
    t.starts_with('$')
        || t.starts_with("~ ")
        || t.starts_with('>')
        || t.starts_with("```")
        || t.starts_with("Traceback")
        || t.starts_with('/')
        || t.starts_with('<')
        || t.starts_with('[')
}

/// The feedback a prompt carries: Some(true) affirmation, Some(false)
/// complaint, None.
pub fn classify(prompt: &str) -> Option<bool> {
    if looks_pasted(prompt) {
        return None;
    }
    let head = &prompt[..super::command::floor_boundary(prompt, HEAD_CHARS * 4)];
    let head: String = head
        .chars()
        .take(HEAD_CHARS)
        .collect::<String>()
        .to_lowercase();
    let head = head.replace(['’', '‘'], "'").replace(" but ", ", but ");
    let mut affirm = false;
    // A complaint asked as a question ("not working yet?") vetoes affirmations.
    let mut questioned_complaint = false;
    for (i, raw) in head
        .split_inclusive(['.', ',', '!', ';', '\n', '?', '，', '。', '！', '？', '；'])
        .enumerate()
    {
        if i >= MAX_CLAUSES {
            break;
        }
        let question = raw.trim_end().ends_with(['?', '？']);
        let clause = raw
            .trim()
            .trim_end_matches(['.', ',', '!', ';', '?', '，', '。', '！', '？', '；']);
        let clause = match INTERJECTION_RE.find(clause) {
            Some(m) => &clause[m.end()..],
            None => clause,
        };
        let clause = clause.trim();
        if clause.is_empty() {
            continue;
        }
        if COMPLAIN_RE.is_match(clause) {
            if COMPLAIN_VETO_RE.is_match(clause) {
                // negated: "not broken anymore"
            } else if !question {
                return Some(false);
            } else {
                questioned_complaint = true;
            }
        }
        if !affirm && !question {
            if let Some(m) = AFFIRM_RE.find(clause) {
                if !AFFIRM_VETO_RE.is_match(&clause[m.end()..]) {
                    affirm = true;
                }
            }
        }
    }
    (affirm && !questioned_complaint).then_some(true)
}

pub fn detect(session: &Session, ev: &mut Evidence) {
    let mut n = 0usize;
    for (turn, t) in session.turns.iter().enumerate() {
        let Turn::Human { text, .. } = t else {
            continue;
        };
        n += 1;
        if n == 1 {
            continue;
        }
        match classify(text) {
            Some(true) => {
                ev.user_affirmation = true;
                ev.affirmation_prompts.push(n);
                ev.items.push(EvidenceItem::new(
                    "affirmation",
                    turn,
                    true,
                    format!("user affirmation in prompt {n}"),
                ));
            }
            Some(false) => {
                ev.user_complaint = true;
                ev.complaint_prompts.push(n);
                ev.items.push(EvidenceItem::new(
                    "complaint",
                    turn,
                    false,
                    format!("user complaint in prompt {n}"),
                ));
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod unit_tests {
    use super::super::fixture::B;
    use super::*;

    #[test]
    fn affirmations() {
        for p in [
            "thanks, works",
            "Perfect!",
            "great, that fixed it",
            "lgtm",
            "it's fixed now, thanks",
            "it works now",
            "Great! Now make the header blue.",
            "ok, looks good. commit it",
            "oof that's much better",
            "thats pretty dope, can we add a logo",
            "谢谢，完美",
            "可以了，提交吧",
            "Merci, ça marche",
            "perfecto, gracias",
            "Funktioniert, danke!",
            "감사합니다",
            "ありがとうございます",
        ] {
            assert_eq!(classify(p), Some(true), "{p}");
        }
    }

    #[test]
    fn complaints() {
        for p in [
            "still broken",
            "it doesn't work",
            "does not work",
            "That's wrong, the port is 8080",
            "you broke the build",
            "not what I asked",
            "undo that",
            "oof revert the icon to the original",
            "same error as before",
            "thanks but it still fails",
            "还是不行",
            "不对，应该用另一个端口",
            "ça ne marche pas",
            "no funciona",
            "não funciona",
            "funktioniert nicht",
            "안 돼요",
            "動かないです",
            "I changed the rounding but that didn't correct it",
            "hmm something is not right",
            "the config isn't right still",
            "it is not displaying the city",
            "It is detecting the wrong city now",
            "now the pictures are gone",
            "i dont see it in the repo",
            "it didn't save the file",
            "forget it, it was better before",
        ] {
            assert_eq!(classify(p), Some(false), "{p}");
        }
    }

    #[test]
    fn neutral_questions_and_negations() {
        for p in [
            "ok",
            "yes",
            "可以",
            "does it work?",
            "works?",
            "not working yet? thanks",
            "no thanks, I found it",
            "that would be perfect",
            "I feel like the submodules are not working well",
            "Add a great footer to the page",
            "make it work with the old API",
            "is it still broken?",
            "it's not broken anymore",
            "$ cargo build\nerror: still broken",
            "/commit",
            "fixed the typo myself, now add the footer",
            "nice to have: dark mode",
            "stop",
            "why did you squash instead of merge?",
            "that is not an option",
            "it is not going to matter",
            "is the old config gone?",
            "I don't see why we need a cache",
            "the temp folder is gone after a reboot? good to know",
        ] {
            assert_eq!(classify(p), None, "{p}");
        }
    }

    #[test]
    fn first_prompt_is_the_task_not_feedback() {
        let s = B::new()
            .human("it doesn't work, fix the login")
            .agent("Fixed.")
            .human("perfect, thanks")
            .build();
        let mut e = Evidence::default();
        detect(&s, &mut e);
        assert!(e.user_affirmation);
        assert!(!e.user_complaint);
        assert_eq!(e.affirmation_prompts, vec![2]);
        assert_eq!(e.items[0].detail, "user affirmation in prompt 2");
    }
}
