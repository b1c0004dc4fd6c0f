//! Features: everything the builtin facets look at, computed ONCE per session
//! from the normalized [`Session`] and the exact measures and evidence
//! ([`Measured`]). Facets only read this struct; no facet scans the session
//! again. Text patterns run on the person's prompts (short) and on the head of
//! agent messages; tool outputs are only searched with `memmem` for names the
//! person used ("was it on screen before?").

use super::lexicon::{self as lx, cmd};
use crate::measure::Measured;
use crate::session::{Session, SystemKind, ToolKind, Turn};
use memchr::memmem;
use std::collections::{HashMap, HashSet};

/// Kinds of files the agent changed (distinct paths).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct FileKinds {
    pub code: u32,
    pub tests: u32,
    pub ci_infra: u32,
    pub docs: u32,
    pub data: u32,
    pub agent_config: u32,
    pub config: u32,
    pub other: u32,
}

impl FileKinds {
    pub fn total(&self) -> u32 {
        self.code
            + self.tests
            + self.ci_infra
            + self.docs
            + self.data
            + self.agent_config
            + self.config
            + self.other
    }
}

/// What kind of file a path is (first matching kind wins).
pub fn file_kind(path: &str) -> &'static str {
    if lx::PATH_AGENT.is_match(path) {
        "agent_config"
    } else if lx::PATH_TEST.is_match(path) {
        "tests"
    } else if lx::PATH_CI_INFRA.is_match(path) {
        "ci_infra"
    } else if lx::PATH_DATA.is_match(path) {
        "data"
    } else if lx::PATH_DOCS.is_match(path) {
        "docs"
    } else if lx::PATH_CONFIG.is_match(path) {
        "config"
    } else if lx::PATH_CODE.is_match(path) {
        "code"
    } else {
        "other"
    }
}

impl FileKinds {
    fn add(&mut self, kind: &str) {
        match kind {
            "code" => self.code += 1,
            "tests" => self.tests += 1,
            "ci_infra" => self.ci_infra += 1,
            "docs" => self.docs += 1,
            "data" => self.data += 1,
            "agent_config" => self.agent_config += 1,
            "config" => self.config += 1,
            _ => self.other += 1,
        }
    }
}

/// What one prompt of the person did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PromptFlags {
    pub goal: bool,
    pub approach: bool,
    pub done: bool,
    /// Names (files, code, commands) the person brought in themselves.
    pub names_own: u32,
    /// Only accepted a proposal.
    pub accept: bool,
    /// Mostly a pasted error or log.
    pub pasted: bool,
    pub words: u32,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Features<'a> {
    #[serde(skip)]
    pub session: Option<&'a Session>,
    #[serde(skip)]
    pub measured: Option<&'a Measured>,

    // ---- the person's prompts
    pub prompts: u32,
    pub user_words: u32,
    pub first_prompt_words: u32,
    pub max_prompt_words: u32,
    /// Distinct practitioner terms the person used.
    pub tech_terms: u32,
    /// Names (paths, identifiers, flags) the person used that had not appeared
    /// on screen (agent text or tool output) shortly before.
    pub names_own: u32,
    /// Names the person used that were visible on screen before.
    pub names_visible: u32,
    pub constraints: u32,
    pub verify_generic: u32,
    pub verify_targeted: u32,
    pub user_corrects_agent: u32,
    pub agent_corrects_user: u32,
    pub goal_statements: u32,
    pub approach_statements: u32,
    pub done_criteria: u32,
    pub affirmations: u32,
    pub complaints: u32,
    pub last_prompt_affirms: bool,
    pub last_prompt_complains: bool,
    /// Complaints in the last two prompts.
    pub late_complaints: u32,
    pub novice_markers: u32,
    pub questions: u32,
    pub pasted_errors: u32,
    /// Prompts that only accept a proposal ("yes", "go ahead").
    pub acceptances: u32,
    /// Work-mode cue scores from prompts (first prompt counts double), in
    /// `rubric::WORK_MODES` order.
    pub mode_cues: [f32; 9],
    /// Work-mode cues of the first prompt alone (the request that opened the session).
    pub first_cues: [bool; 9],
    /// Per prompt, what it did (for decision attribution).
    pub prompt_flags: Vec<PromptFlags>,
    /// Occupation-domain hits (prompts, project, paths), by SOC title.
    pub domain_hits: Vec<(&'static str, u32)>,
    /// Of those, hits in the person's own prompts (by SOC title).
    pub domain_prompt_hits: Vec<(&'static str, u32)>,
    /// Hits of professional-software vocabulary in prompts and project context.
    pub software_pro: u32,
    /// The project has agent instructions (CLAUDE.md, AGENTS.md) read or edited.
    pub has_agent_instructions: bool,

    // ---- the agent's work
    pub actions: u32,
    pub reads: u32,
    pub searches: u32,
    pub web: u32,
    pub shell: u32,
    pub edits: u32,
    pub writes: u32,
    pub plan_tools: u32,
    pub tasks: u32,
    /// Tool calls made by sub-agents (their work counts towards the kinds of
    /// files and commands above).
    pub subagent_actions: u32,
    /// Distinct files changed, by kind.
    pub changed: FileKinds,
    /// Distinct files read, by kind.
    pub read_kinds: FileKinds,
    /// Files changed that existed before (edited, or read before written).
    pub changed_existing: u32,
    /// Files written that were not seen before (new files).
    pub created_new: u32,
    /// Changed files the person named in a prompt before the change.
    pub files_named_by_user: u32,
    /// Changed files the person never named before the change.
    pub files_chosen_by_agent: u32,
    /// Shell commands by kind (`lexicon::cmd`).
    pub cmds: [u32; cmd::N],
    /// Commands whose text (or a close variant) the person wrote in a prompt.
    pub cmds_named_by_user: u32,
    pub tool_errors: u32,
    /// Tool errors after the last change (edit/write).
    pub errors_after_last_change: u32,
    /// The last tool result of the session was an error.
    pub last_result_error: bool,
    /// Successful shell commands after the last change.
    pub ok_cmds_after_last_change: u32,
    /// Agent messages that proposed a plan / asked for approval.
    pub agent_plans: u32,
    /// Of those, followed by the person's acceptance.
    pub agent_plans_accepted: u32,
    /// The session ends with an agent message (not a tool call or prompt).
    pub ends_with_agent_text: bool,
    /// The last agent message asks the person something.
    pub ends_with_question: bool,
    pub interruptions: u32,
    /// Tool calls the person refused.
    pub rejections: u32,
    /// The person interrupted the agent after its last message (the final
    /// request was cut off).
    pub ends_interrupted: bool,
    /// Nothing (no agent text, no action) followed the last prompt.
    pub last_prompt_unanswered: bool,
    /// Affirmations in the last three prompts.
    pub late_affirmations: u32,
    /// Every prompt is a greeting or says it is only looking around.
    pub only_exploratory_prompts: bool,
    pub lines_added: u64,
    pub lines_removed: u64,
}

fn words(s: &str) -> u32 {
    // CJK text has no spaces: count characters / 2 as a rough word count.
    let ws = s.split_whitespace().count() as u32;
    let cjk = s
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count() as u32;
    ws.max(cjk / 2)
}

/// The command string of a shell call, whatever the agent's input shape.
pub fn command_of(input: &serde_json::Value) -> Option<String> {
    let c = input.get("command").or_else(|| input.get("cmd"))?;
    match c {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(a) => {
            let parts: Vec<&str> = a.iter().filter_map(|v| v.as_str()).collect();
            // ["bash", "-lc", "..."]: the script is the last part.
            if parts.len() >= 3 && (parts[1] == "-lc" || parts[1] == "-c") {
                Some(parts[2..].join(" "))
            } else {
                Some(parts.join(" "))
            }
        }
        _ => None,
    }
}

/// File paths a tool call touches (path fields, or patch headers).
pub fn paths_of(input: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for k in ["file_path", "path", "notebook_path", "filePath", "filename"] {
        if let Some(p) = input.get(k).and_then(|v| v.as_str()) {
            out.push(p.to_string());
            return out;
        }
    }
    let text = match input {
        serde_json::Value::String(s) => Some(s.as_str()),
        _ => input
            .get("patch")
            .or_else(|| input.get("input"))
            .and_then(|v| v.as_str()),
    };
    if let Some(t) = text {
        patch_paths(t, &mut out);
    }
    out
}

fn patch_paths(t: &str, out: &mut Vec<String>) {
    if memmem::find(t.as_bytes(), b"*** ").is_none() {
        return;
    }
    for line in t.lines() {
        for pre in ["*** Update File: ", "*** Add File: ", "*** Delete File: "] {
            if let Some(p) = line.strip_prefix(pre) {
                out.push(p.trim().to_string());
            }
        }
    }
}

fn basename(p: &str) -> &str {
    p.rsplit(['/', '\\']).next().unwrap_or(p)
}

/// How many preceding non-human texts count as "on screen".
const SCREEN_TURNS: usize = 40;
/// Injected-context turns read for project instructions, and how much of each.
const INJECTED_MAX: usize = 4;
const INJECTED_HEAD: usize = 16 * 1024;
/// Bytes of recent agent text and tool output searched for a name.
const SCREEN_BYTES: usize = 64 * 1024;
/// Bytes of one text that count as on screen (its tail).
const SCREEN_TEXT_BYTES: usize = 16 * 1024;
/// Most names checked per prompt.
const NAMES_PER_PROMPT: usize = 16;
/// Agent text scanned per message (head).
const AGENT_HEAD: usize = 2000;

fn head(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut i = n;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    &s[..i]
}

fn tail(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut i = s.len() - n;
    while !s.is_char_boundary(i) {
        i += 1;
    }
    &s[i..]
}

impl<'a> Features<'a> {
    pub fn compute(session: &'a Session, measured: &'a Measured) -> Features<'a> {
        let mut f = Features {
            session: Some(session),
            measured: Some(measured),
            lines_added: measured.measures.lines_added,
            lines_removed: measured.measures.lines_removed,
            interruptions: measured.measures.interruptions,
            ..Default::default()
        };
        let turns = &session.turns;

        // Results by tool-call id.
        let mut results: HashMap<&str, (bool, Option<i32>)> = HashMap::new();
        for t in turns {
            if let Turn::ToolResult {
                id,
                is_error,
                exit_code,
                ..
            } = t
            {
                results.insert(id.as_str(), (*is_error, *exit_code));
            }
        }
        let failed = |id: &str| {
            results
                .get(id)
                .map(|(e, c)| *e || c.is_some_and(|c| c != 0))
                .unwrap_or(false)
        };

        let mut terms: HashSet<String> = HashSet::new();
        let mut domain: HashMap<&'static str, u32> = HashMap::new();
        let mut domain_prompt: HashMap<&'static str, u32> = HashMap::new();
        let mut seen_paths: HashSet<String> = HashSet::new();
        let mut changed_paths: HashSet<String> = HashSet::new();
        let mut read_paths: HashSet<String> = HashSet::new();
        // Lower-cased words of the prompts so far (for "did the person name
        // it"), with the last component of path-like words.
        let mut prompt_tokens: HashSet<String> = HashSet::new();
        // Names already judged own/visible (each counts once per session).
        let mut names_seen: HashSet<String> = HashSet::new();
        // Kind of each path seen (file kind and domain patterns run once per path).
        let mut path_kinds: HashMap<String, &'static str> = HashMap::new();
        // Indices of non-human turns with text (for "on screen").
        let mut screen: Vec<usize> = Vec::new();
        let mut last_agent_plan_at: Option<usize> = None;
        let mut last_agent_text: Option<(usize, &str)> = None;
        let mut awaiting_reply = false;
        let mut injected_seen = 0usize;
        let mut last_change_at: Option<usize> = None;
        let mut prompt_texts: Vec<&str> = Vec::new();

        for (i, t) in turns.iter().enumerate() {
            match t {
                Turn::Human { text, .. } => {
                    // What the agent last said before this prompt: a proposal
                    // or an approval question sits at the end of it.
                    if let Some((j, t)) = last_agent_text.take() {
                        if lx::AGENT_PLAN.is_match(tail(t, AGENT_HEAD)) {
                            f.agent_plans += 1;
                            last_agent_plan_at = Some(j);
                        }
                    }
                    awaiting_reply = true;
                    let text = text.as_str();
                    prompt_texts.push(text);
                    f.prompts += 1;
                    let w = words(text);
                    f.user_words += w;
                    if f.prompts == 1 {
                        f.first_prompt_words = w;
                    }
                    f.max_prompt_words = f.max_prompt_words.max(w);
                    let weight = if f.prompts == 1 { 2.0 } else { 1.0 };
                    // Pasted logs say little about the person; look at the typed part.
                    let pasted = lx::PASTED_ERROR.is_match(text);
                    if pasted {
                        f.pasted_errors += 1;
                    }
                    let typed = head(text, 1500);
                    for m in lx::MODE_CUES.matches(typed).iter() {
                        f.mode_cues[m] += weight;
                        if f.prompts == 1 {
                            f.first_cues[m] = true;
                        }
                    }
                    for m in lx::TECH_TERMS.find_iter(typed) {
                        if terms.len() < 64 {
                            terms.insert(m.as_str().to_ascii_lowercase());
                        }
                    }
                    f.constraints += lx::CONSTRAINTS.find_iter(typed).count().min(4) as u32;
                    f.verify_generic += lx::VERIFY_GENERIC.is_match(typed) as u32;
                    f.verify_targeted += lx::VERIFY_TARGETED.is_match(typed) as u32;
                    // Corrections, affirmations and complaints react to the
                    // agent's work: never the opening request.
                    let corrects = f.prompts > 1 && lx::USER_CORRECTS.is_match(typed);
                    f.user_corrects_agent += corrects as u32;
                    let goal = lx::GOAL.is_match(typed);
                    let approach = lx::APPROACH.is_match(typed);
                    let done = lx::DONE.is_match(typed);
                    f.goal_statements += goal as u32;
                    f.approach_statements += approach as u32;
                    f.done_criteria += done as u32;
                    let short = w <= 40;
                    let affirms = f.prompts > 1 && short && lx::AFFIRM.is_match(typed);
                    let complains = f.prompts > 1 && lx::COMPLAIN.is_match(typed);
                    f.affirmations += affirms as u32;
                    f.complaints += complains as u32;
                    f.last_prompt_affirms = affirms;
                    f.last_prompt_complains = complains;
                    f.novice_markers += lx::NOVICE.is_match(typed) as u32;
                    f.questions += typed.trim_end().ends_with('?') as u32;
                    let accept = w <= 6 && lx::ACCEPT.is_match(typed);
                    if accept {
                        f.acceptances += 1;
                        if last_agent_plan_at.is_some() {
                            f.agent_plans_accepted += 1;
                        }
                    }
                    last_agent_plan_at = None;
                    for d in lx::DOMAIN_SET.matches(typed).iter() {
                        let (name, r) = &lx::DOMAINS[d];
                        let n = r.find_iter(typed).count() as u32;
                        if n > 0 {
                            *domain.entry(name).or_default() += n;
                            *domain_prompt.entry(name).or_default() += n;
                        }
                    }
                    f.software_pro += lx::SOFTWARE_PRO.find_iter(typed).count().min(3) as u32;
                    // Names: own or visible on screen before?
                    let own_before = f.names_own;
                    let mut checked = 0;
                    let mut seen_here: HashSet<&str> = HashSet::new();
                    for m in lx::NAMES.find_iter(typed) {
                        let name = lx::name_of(m.as_str());
                        if name.len() < 3 || !seen_here.insert(name) || names_seen.contains(name) {
                            continue;
                        }
                        names_seen.insert(name.to_string());
                        checked += 1;
                        if checked > NAMES_PER_PROMPT {
                            break;
                        }
                        let finder = memmem::Finder::new(name.as_bytes());
                        let mut budget = SCREEN_BYTES;
                        let visible = screen.iter().rev().take(SCREEN_TURNS).any(|&j| {
                            if budget == 0 {
                                return false;
                            }
                            screen_text(&turns[j]).is_some_and(|s| {
                                // What was on screen: the tail of each text.
                                let t = tail(s, SCREEN_TEXT_BYTES.min(budget));
                                budget -= t.len().min(budget);
                                finder.find(t.as_bytes()).is_some()
                            })
                        });
                        if visible {
                            f.names_visible += 1;
                        } else {
                            f.names_own += 1;
                        }
                    }
                    f.prompt_flags.push(PromptFlags {
                        goal,
                        approach,
                        done,
                        names_own: f.names_own - own_before,
                        accept,
                        pasted,
                        words: w,
                    });
                    let own = if pasted { head(text, 300) } else { typed };
                    for w in own.split_whitespace() {
                        let w = w
                            .trim_matches(|c: char| !(c.is_alphanumeric() || "._-/~".contains(c)))
                            .to_lowercase();
                        if w.len() < 2 {
                            continue;
                        }
                        if w.contains('/') {
                            let b = basename(&w);
                            if b.len() >= 2 {
                                prompt_tokens.insert(b.to_string());
                            }
                        }
                        prompt_tokens.insert(w);
                    }
                }
                Turn::Agent { text, .. } => {
                    screen.push(i);
                    // The agent's first reply to a prompt is where it would
                    // correct the person.
                    if awaiting_reply {
                        awaiting_reply = false;
                        if lx::AGENT_CORRECTS.is_match(head(text, AGENT_HEAD)) {
                            f.agent_corrects_user += 1;
                        }
                    }
                    last_agent_text = Some((i, text.as_str()));
                }
                Turn::ToolCall {
                    id, kind, input, ..
                } => {
                    f.actions += 1;
                    let bad = failed(id);
                    match kind {
                        ToolKind::Read => f.reads += 1,
                        ToolKind::Search => f.searches += 1,
                        ToolKind::Web => f.web += 1,
                        ToolKind::Shell => f.shell += 1,
                        ToolKind::Edit => f.edits += 1,
                        ToolKind::Write => f.writes += 1,
                        ToolKind::Plan => {
                            f.plan_tools += 1;
                            last_agent_plan_at = Some(i);
                        }
                        ToolKind::Task => f.tasks += 1,
                        ToolKind::Other => {}
                    }
                    let mut paths = paths_of(input);
                    let mut is_change = matches!(kind, ToolKind::Edit | ToolKind::Write);
                    if *kind == ToolKind::Shell {
                        if let Some(c) = command_of(input) {
                            let ms = lx::CMD_KINDS.matches(&c);
                            for k in ms.iter() {
                                f.cmds[k] += 1;
                            }
                            if memmem::find(c.as_bytes(), b"*** Begin Patch").is_some() {
                                patch_paths(&c, &mut paths);
                                is_change = true;
                                f.edits += 1;
                            } else {
                                // Did the person spell this command out?
                                let first = c.split_whitespace().take(2).collect::<Vec<_>>();
                                if first.len() == 2
                                    && first[0].len() > 1
                                    && first
                                        .iter()
                                        .all(|w| prompt_tokens.contains(&w.to_lowercase()))
                                {
                                    f.cmds_named_by_user += 1;
                                }
                            }
                            if !bad && last_change_at.is_some() {
                                f.ok_cmds_after_last_change += 1;
                            }
                        }
                    }
                    for p in paths {
                        let kind_s = match path_kinds.get(&p) {
                            Some(k) => *k,
                            None => {
                                let k = file_kind(&p);
                                if k == "agent_config" {
                                    f.has_agent_instructions = true;
                                }
                                for i in lx::DOMAIN_SET.matches(&p).iter() {
                                    *domain.entry(lx::DOMAINS[i].0).or_default() += 1;
                                }
                                path_kinds.insert(p.clone(), k);
                                k
                            }
                        };
                        if is_change && !bad {
                            last_change_at = Some(i);
                            f.ok_cmds_after_last_change = 0;
                            f.errors_after_last_change = 0;
                            if changed_paths.insert(p.clone()) {
                                f.changed.add(kind_s);
                                let existed = *kind == ToolKind::Edit || seen_paths.contains(&p);
                                if existed {
                                    f.changed_existing += 1;
                                } else {
                                    f.created_new += 1;
                                }
                                let b = basename(&p).to_lowercase();
                                if b.len() >= 3 && prompt_tokens.contains(&b) {
                                    f.files_named_by_user += 1;
                                } else {
                                    f.files_chosen_by_agent += 1;
                                }
                            }
                        } else if !is_change && read_paths.insert(p.clone()) {
                            f.read_kinds.add(kind_s);
                        }
                        seen_paths.insert(p);
                    }
                    if bad {
                        f.tool_errors += 1;
                        if last_change_at.is_some() {
                            f.errors_after_last_change += 1;
                        }
                    }
                }
                Turn::ToolResult { id, .. } => {
                    screen.push(i);
                    f.last_result_error = failed(id);
                }
                Turn::System {
                    kind: SystemKind::Rejection,
                    text,
                    ..
                } => {
                    // The person refused a tool call; with typed feedback they
                    // steered the agent (a correction of its course).
                    f.rejections += 1;
                    if !text.trim().is_empty() {
                        f.user_corrects_agent += 1;
                    }
                }
                Turn::System {
                    kind: SystemKind::InjectedContext,
                    text,
                    ..
                } if injected_seen < INJECTED_MAX => {
                    // Project instructions (CLAUDE.md, AGENTS.md) are context
                    // about the project and its people: side signals.
                    injected_seen += 1;
                    let h = head(text, INJECTED_HEAD);
                    if memmem::find(h.as_bytes(), b"CLAUDE.md").is_some()
                        || memmem::find(h.as_bytes(), b"AGENTS.md").is_some()
                        || memmem::find(h.as_bytes(), b"<INSTRUCTIONS>").is_some()
                    {
                        f.has_agent_instructions = true;
                        for d in lx::DOMAIN_SET.matches(h).iter() {
                            *domain.entry(lx::DOMAINS[d].0).or_default() += 1;
                        }
                        f.software_pro += lx::SOFTWARE_PRO.find_iter(h).count().min(2) as u32;
                    }
                }
                Turn::System { .. } => {}
            }
        }
        // Sub-agents' work is part of where the session's work went (never of
        // the person's prompts or the main session's action count).
        for sub in &session.subagents {
            absorb_subagent(&mut f, sub, &mut changed_paths, &mut seen_paths, 0);
        }
        f.tech_terms = terms.len() as u32;
        // Project name and cwd are side signals for occupation.
        let mut ctx = String::new();
        if let Some(p) = &session.project {
            ctx.push_str(p);
            ctx.push(' ');
        }
        if let Some(c) = &session.cwd {
            ctx.push_str(c);
        }
        let ctx = ctx.replace(['-', '_'], " ");
        for (name, r) in lx::DOMAINS.iter() {
            let n = r.find_iter(&ctx).count() as u32;
            if n > 0 {
                *domain.entry(name).or_default() += 2 * n;
            }
        }
        f.software_pro += lx::SOFTWARE_PRO.find_iter(&ctx).count().min(2) as u32;
        let mut d: Vec<(&'static str, u32)> = domain.into_iter().collect();
        d.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        f.domain_hits = d;
        f.domain_prompt_hits = domain_prompt.into_iter().collect();
        f.domain_prompt_hits
            .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));

        // Late complaints: in the last two prompts.
        f.late_complaints = prompt_texts
            .iter()
            .skip(1)
            .rev()
            .take(2)
            .filter(|p| lx::COMPLAIN.is_match(head(p, 1500)))
            .count() as u32;

        f.late_affirmations = prompt_texts
            .iter()
            .skip(1)
            .rev()
            .take(3)
            .filter(|p| words(p) <= 40 && lx::AFFIRM.is_match(head(p, 1500)))
            .count() as u32;
        // The measure stage's feedback detector (multilingual, careful about
        // negation) marks the turn of each affirmation and complaint: count
        // those in the last prompts too.
        let prompt_turns: Vec<usize> = turns
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t, Turn::Human { .. }))
            .map(|(i, _)| i)
            .skip(1)
            .collect();
        let since = |k: usize| {
            prompt_turns
                .len()
                .checked_sub(k)
                .map(|j| prompt_turns[j])
                .or(prompt_turns.first().copied())
        };
        let late = |kind: &str, k: usize| -> u32 {
            let Some(from) = since(k) else { return 0 };
            measured
                .evidence
                .items
                .iter()
                .filter(|it| it.kind == kind && it.turn >= from)
                .count() as u32
        };
        f.late_affirmations = f.late_affirmations.max(late("affirmation", 3));
        f.late_complaints = f.late_complaints.max(late("complaint", 1));
        f.only_exploratory_prompts = !prompt_texts.is_empty()
            && prompt_texts
                .iter()
                .all(|p| lx::EXPLORATORY.is_match(head(p, 300)));
        // The final stretch: after the last prompt, and after the last agent text.
        let last_prompt = turns.iter().rposition(|t| matches!(t, Turn::Human { .. }));
        // A closing "thanks" or "ok" needs no answer.
        let closing = f.last_prompt_affirms
            || f.prompt_flags
                .last()
                .is_some_and(|p| p.accept || p.words < 3);
        if let Some(lp) = last_prompt.filter(|_| !closing) {
            f.last_prompt_unanswered = !turns[lp + 1..]
                .iter()
                .any(|t| matches!(t, Turn::Agent { .. } | Turn::ToolCall { .. }));
        }
        let last_agent = turns.iter().rposition(|t| matches!(t, Turn::Agent { .. }));
        let from = last_agent.max(last_prompt).map_or(0, |i| i + 1);
        f.ends_interrupted = turns[from.min(turns.len())..].iter().any(|t| {
            matches!(
                t,
                Turn::System {
                    kind: SystemKind::Interruption,
                    ..
                }
            )
        }) || last_prompt.is_some_and(|lp| {
            // Interrupted right after the last request, before any answer.
            turns[lp + 1..].iter().any(|t| {
                matches!(
                    t,
                    Turn::System {
                        kind: crate::session::SystemKind::Interruption,
                        ..
                    }
                )
            }) && !turns[lp + 1..]
                .iter()
                .any(|t| matches!(t, Turn::Agent { .. }))
        });
        // How the session ends.
        if let Some(Turn::Agent { text, .. }) = turns
            .iter()
            .rev()
            .find(|t| !matches!(t, Turn::System { .. }))
        {
            f.ends_with_agent_text = true;
            f.ends_with_question = tail(text, 400).trim_end().ends_with('?');
        }
        // Prefer exact measures where they exist (sub-agents excluded there too).
        let ms = &measured.measures;
        if ms.actions > 0 {
            f.actions = ms.actions;
        }
        f
    }

    pub fn session(&self) -> &Session {
        self.session.expect("features were computed from a session")
    }

    pub fn measured(&self) -> &Measured {
        self.measured.expect("features were computed from measures")
    }

    /// Total changes (distinct files changed) and whether code was produced.
    pub fn files_changed(&self) -> u32 {
        self.changed.total()
    }

    /// Did the session change anything at all?
    pub fn changed_anything(&self) -> bool {
        self.files_changed() > 0 || self.lines_added > 0
    }
}

/// Adds a sub-agent's file changes, reads and commands (recursively).
fn absorb_subagent(
    f: &mut Features,
    sub: &Session,
    changed_paths: &mut HashSet<String>,
    seen_paths: &mut HashSet<String>,
    depth: usize,
) {
    let mut failed: HashSet<&str> = HashSet::new();
    for t in &sub.turns {
        if let Turn::ToolResult {
            id,
            is_error,
            exit_code,
            ..
        } = t
        {
            if *is_error || exit_code.is_some_and(|c| c != 0) {
                failed.insert(id.as_str());
            }
        }
    }
    for t in &sub.turns {
        let Turn::ToolCall {
            id, kind, input, ..
        } = t
        else {
            continue;
        };
        f.subagent_actions += 1;
        let bad = failed.contains(id.as_str());
        let mut paths = paths_of(input);
        let mut is_change = matches!(kind, ToolKind::Edit | ToolKind::Write);
        match kind {
            ToolKind::Read => f.reads += 1,
            ToolKind::Search => f.searches += 1,
            ToolKind::Shell => {
                if let Some(c) = command_of(input) {
                    for k in lx::CMD_KINDS.matches(&c).iter() {
                        f.cmds[k] += 1;
                    }
                    if memmem::find(c.as_bytes(), b"*** Begin Patch").is_some() {
                        patch_paths(&c, &mut paths);
                        is_change = true;
                    }
                }
            }
            _ => {}
        }
        for p in paths {
            let kind_s = file_kind(&p);
            if is_change && !bad {
                if changed_paths.insert(p.clone()) {
                    f.changed.add(kind_s);
                    if *kind == ToolKind::Edit || seen_paths.contains(&p) {
                        f.changed_existing += 1;
                    } else {
                        f.created_new += 1;
                    }
                    f.files_chosen_by_agent += 1;
                }
            } else if !is_change && !seen_paths.contains(&p) {
                f.read_kinds.add(kind_s);
            }
            seen_paths.insert(p);
        }
    }
    if depth < 4 {
        for s in &sub.subagents {
            absorb_subagent(f, s, changed_paths, seen_paths, depth + 1);
        }
    }
}

/// The text of a non-human turn that a person could have seen on screen.
fn screen_text(t: &Turn) -> Option<&str> {
    match t {
        Turn::Agent { text, .. } => Some(text),
        Turn::ToolResult { output, .. } => Some(output),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Agent;
    use serde_json::json;

    fn human(t: &str) -> Turn {
        Turn::Human {
            text: t.into(),
            ts: None,
            queued: false,
        }
    }
    fn agent(t: &str) -> Turn {
        Turn::Agent {
            text: t.into(),
            ts: None,
        }
    }
    fn call(id: &str, kind: ToolKind, input: serde_json::Value) -> Turn {
        Turn::ToolCall {
            id: id.into(),
            name: "tool".into(),
            kind,
            input,
            ts: None,
        }
    }
    fn result(id: &str, output: &str, is_error: bool) -> Turn {
        Turn::ToolResult {
            id: id.into(),
            is_error,
            exit_code: None,
            output: output.into(),
            ts: None,
        }
    }

    fn features_of(turns: Vec<Turn>) -> (Session, Measured) {
        let mut s = Session::new("t", Agent::ClaudeCode);
        s.turns = turns;
        let m = crate::measure::measure(&s);
        (s, m)
    }

    #[test]
    fn names_seen_in_tool_output_do_not_count_as_the_persons_own() {
        let (s, m) = features_of(vec![
            human("list the config loaders"),
            call("1", ToolKind::Shell, json!({"command": "ls src"})),
            result("1", "load_settings.py\nparse_env.py\n", false),
            human("open load_settings.py and keep `retry_budget` under 3"),
        ]);
        let f = Features::compute(&s, &m);
        // load_settings.py was on screen; retry_budget was not.
        assert_eq!(f.names_visible, 1);
        assert_eq!(f.names_own, 1);
    }

    #[test]
    fn corrections_complaints_and_endings_are_told_apart() {
        let (s, m) = features_of(vec![
            human("the export is broken, fix it"),
            call("1", ToolKind::Edit, json!({"file_path": "src/export.rs"})),
            result("1", "ok", false),
            agent("Done. Should I also add a test?"),
            human("no, you removed the header row. that's wrong"),
            agent("Restoring it."),
            human("still broken"),
            Turn::System {
                kind: SystemKind::Interruption,
                text: String::new(),
                ts: None,
            },
        ]);
        let f = Features::compute(&s, &m);
        // The opening "broken" describes the task, not the agent's work.
        assert_eq!(f.complaints, 2);
        assert_eq!(f.user_corrects_agent, 1);
        assert!(f.last_prompt_complains);
        assert!(f.ends_interrupted);
        assert_eq!(f.agent_plans, 1, "the approval question before prompt 2");
        assert_eq!(f.changed.code, 1);
        assert_eq!(f.files_chosen_by_agent, 1);
    }

    #[test]
    fn odd_input_never_panics() {
        // Multi-byte text around every cut point, odd tool inputs, results
        // without calls, calls without results, empty texts.
        let long = "é中🙂".repeat(3000);
        let (s, m) = features_of(vec![
            human(""),
            human(&long),
            agent(&long),
            call(
                "1",
                ToolKind::Shell,
                json!({"command": [1, null, {"x": 2}]}),
            ),
            call("2", ToolKind::Edit, json!("*** Update File: \n")),
            call("3", ToolKind::Write, json!(null)),
            result("9", &long, true),
            call("4", ToolKind::Shell, json!({"cmd": "*** Begin Patch"})),
            Turn::System {
                kind: SystemKind::InjectedContext,
                text: format!("CLAUDE.md {long}"),
                ts: None,
            },
            Turn::System {
                kind: SystemKind::Rejection,
                text: long.clone(),
                ts: None,
            },
            human(&format!("`{}` ok", "x".repeat(5000))),
        ]);
        let f = Features::compute(&s, &m);
        assert_eq!(f.prompts, 3);
        let labels = crate::classify::builtin::Builtin::label(&crate::classify::Input {
            session: &s,
            measured: &m,
        });
        assert!(labels.work_mode.is_some() && labels.decisions.is_some());
        // A session with no turns at all.
        let (s, m) = features_of(vec![]);
        let labels = crate::classify::builtin::Builtin::label(&crate::classify::Input {
            session: &s,
            measured: &m,
        });
        assert_eq!(
            labels.expertise.map(|l| l.value),
            Some("Unclear".to_string())
        );
    }

    #[test]
    fn file_kinds_and_patch_paths() {
        assert_eq!(file_kind("repo/CLAUDE.md"), "agent_config");
        assert_eq!(file_kind("tests/test_api.py"), "tests");
        assert_eq!(file_kind(".github/workflows/ci.yml"), "ci_infra");
        assert_eq!(file_kind("notebooks/eda.ipynb"), "data");
        assert_eq!(file_kind("docs/guide.md"), "docs");
        assert_eq!(file_kind("/home/x/.config/waybar/config.jsonc"), "config");
        assert_eq!(file_kind("src/lib.rs"), "code");
        let p = paths_of(
            &json!({"patch": "*** Begin Patch\n*** Update File: a/b.rs\n@@\n*** Add File: c.md\n*** End Patch"}),
        );
        assert_eq!(p, vec!["a/b.rs".to_string(), "c.md".to_string()]);
        assert_eq!(
            command_of(&json!({"command": ["bash", "-lc", "cargo test"]})).as_deref(),
            Some("cargo test")
        );
    }
}
