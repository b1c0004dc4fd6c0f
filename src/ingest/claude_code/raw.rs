//! Typed, borrowing views of Claude Code transcript records. Every field is
//! optional and lenient (a field of an unexpected JSON type becomes empty
//! instead of failing the whole record), so new Claude Code versions that
//! change a field do not make us drop records.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt;

/// A string that borrows from the line when it has no escapes. Any other JSON
/// type (number, object, array, bool) is skipped and reads as "".
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Str<'a>(pub Cow<'a, str>);

impl<'a> Str<'a> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Str::default())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Str::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Str::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Str::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Str::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// A non-negative integer that tolerates floats, strings and other types (0).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Num(pub Option<i64>);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num(Some(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num(Some(v.min(i64::MAX as u64) as i64)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                Ok(Num(v.is_finite().then_some(v as i64)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
                Ok(Num(v.trim().parse().ok()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Num, E> {
                Ok(Num(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Num, E> {
                Ok(Num(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Num, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Num(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Num, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Num(None))
            }
        }
        d.deserialize_any(V)
    }
}

impl Num {
    pub fn u(self) -> u64 {
        self.0.unwrap_or(0).max(0) as u64
    }
}

/// A lenient boolean (anything that is not `true` reads as false).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Flag;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a boolean")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Flag, E> {
                Ok(Flag(v))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Flag, E> {
                Ok(Flag(false))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Flag, E> {
                Ok(Flag(false))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Flag, E> {
                Ok(Flag(false))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
                Ok(Flag(v == "true"))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Flag, E> {
                Ok(Flag(false))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Flag, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Flag(false))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Flag, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Flag(false))
            }
        }
        d.deserialize_any(V)
    }
}

/// One line of a transcript. Only the fields ingest uses are read; serde
/// skips everything else without allocating.
#[derive(Debug, Default, Deserialize)]
pub struct Record<'a> {
    #[serde(rename = "type", borrow, default)]
    pub ty: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub subtype: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub uuid: Option<Str<'a>>,
    #[serde(rename = "parentUuid", borrow, default)]
    pub parent_uuid: Option<Str<'a>>,
    #[serde(rename = "logicalParentUuid", borrow, default)]
    pub logical_parent_uuid: Option<Str<'a>>,
    #[serde(rename = "sessionId", borrow, default)]
    pub session_id: Option<Str<'a>>,
    #[serde(rename = "agentId", borrow, default)]
    pub agent_id: Option<Str<'a>>,
    #[serde(rename = "isSidechain", default)]
    pub is_sidechain: Flag,
    #[serde(rename = "isMeta", default)]
    pub is_meta: Flag,
    #[serde(rename = "isCompactSummary", default)]
    pub is_compact_summary: Flag,
    #[serde(rename = "isVisibleInTranscriptOnly", default)]
    pub is_visible_in_transcript_only: Flag,
    #[serde(rename = "isApiErrorMessage", default)]
    pub is_api_error_message: Flag,
    #[serde(borrow, default)]
    pub timestamp: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub cwd: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub version: Option<Str<'a>>,
    #[serde(rename = "gitBranch", borrow, default)]
    pub git_branch: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub entrypoint: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub message: Option<Message<'a>>,
    #[serde(rename = "toolUseResult", borrow, default)]
    pub tool_use_result: Option<ToolUseResult<'a>>,
    /// system records, queue operations.
    #[serde(borrow, default)]
    pub content: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub level: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub operation: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub summary: Option<Str<'a>>,
    #[serde(rename = "leafUuid", borrow, default)]
    pub leaf_uuid: Option<Str<'a>>,
    #[serde(rename = "customTitle", borrow, default)]
    pub custom_title: Option<Str<'a>>,
    #[serde(rename = "aiTitle", borrow, default)]
    pub ai_title: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub title: Option<Str<'a>>,
    #[serde(rename = "prUrl", borrow, default)]
    pub pr_url: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub attachment: Option<Attachment<'a>>,
    #[serde(borrow, default)]
    pub origin: Option<Origin<'a>>,
    #[serde(borrow, default)]
    pub error: Option<Str<'a>>,
}

/// `origin` of a user record (newer versions): who produced it.
#[derive(Debug, Default)]
pub struct Origin<'a> {
    pub kind: Str<'a>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Origin<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Origin<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an origin")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Origin {
                    kind: Str(Cow::Borrowed(v)),
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Origin {
                    kind: Str(Cow::Owned(v.to_string())),
                })
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Origin::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Origin::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Origin::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Origin::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Origin::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Origin::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut o = Origin::default();
                while let Some(k) = a.next_key::<Str<'de>>()? {
                    if k.as_str() == "kind" || k.as_str() == "type" {
                        let v: Str<'de> = a.next_value()?;
                        if o.kind.0.is_empty() {
                            o.kind = v;
                        }
                    } else {
                        a.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(o)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct Attachment<'a> {
    #[serde(rename = "type", borrow, default)]
    pub ty: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub prompt: Option<Str<'a>>,
    #[serde(rename = "commandMode", borrow, default)]
    pub command_mode: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub origin: Option<Origin<'a>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Message<'a> {
    #[serde(borrow, default)]
    pub id: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub model: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub role: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub content: Option<Content<'a>>,
    #[serde(default)]
    pub usage: Option<Usage>,
}

#[derive(Debug, Default, Clone, Copy, Deserialize)]
pub struct Usage {
    #[serde(default)]
    pub input_tokens: Num,
    #[serde(default)]
    pub output_tokens: Num,
    #[serde(default)]
    pub cache_read_input_tokens: Num,
    #[serde(default)]
    pub cache_creation_input_tokens: Num,
}

/// Message content: a plain string or a list of content blocks.
#[derive(Debug)]
pub enum Content<'a> {
    Text(Str<'a>),
    Blocks(Vec<Block<'a>>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Content<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Content<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("message content")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Content::Text(Str(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Content::Text(Str(Cow::Owned(v.to_string()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Content::Text(Str(Cow::Owned(v))))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Content::Blocks(Vec::new()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Content::Blocks(Vec::new()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Content::Blocks(Vec::new()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Content::Blocks(Vec::new()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Content::Blocks(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some(b) = a.next_element::<MaybeBlock<'de>>()? {
                    if let Some(b) = b.0 {
                        v.push(b);
                    }
                }
                Ok(Content::Blocks(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<Self::Value, A::Error> {
                // A single block object instead of a list.
                let b = Block::deserialize(de::value::MapAccessDeserializer::new(a))?;
                Ok(Content::Blocks(vec![b]))
            }
        }
        d.deserialize_any(V)
    }
}

/// A content block, or None for a list element that is not an object.
struct MaybeBlock<'a>(Option<Block<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for MaybeBlock<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MaybeBlock<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a content block")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(MaybeBlock(Some(Block {
                    ty: Some(Str(Cow::Borrowed("text"))),
                    text: Some(Str(Cow::Borrowed(v))),
                    ..Default::default()
                })))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(MaybeBlock(Some(Block {
                    ty: Some(Str(Cow::Borrowed("text"))),
                    text: Some(Str(Cow::Owned(v.to_string()))),
                    ..Default::default()
                })))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(MaybeBlock(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(MaybeBlock(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(MaybeBlock(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(MaybeBlock(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(MaybeBlock(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybeBlock(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<Self::Value, A::Error> {
                Ok(MaybeBlock(Some(Block::deserialize(
                    de::value::MapAccessDeserializer::new(a),
                )?)))
            }
        }
        d.deserialize_any(V)
    }
}

/// One content block (text, thinking, tool_use, tool_result, image, ...).
/// A flat struct rather than a tagged enum: serde would buffer a tagged enum.
#[derive(Debug, Default, Deserialize)]
pub struct Block<'a> {
    #[serde(rename = "type", borrow, default)]
    pub ty: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub text: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub id: Option<Str<'a>>,
    #[serde(borrow, default)]
    pub name: Option<Str<'a>>,
    #[serde(default)]
    pub input: Option<serde_json::Value>,
    #[serde(borrow, default)]
    pub tool_use_id: Option<Str<'a>>,
    #[serde(default)]
    pub content: Option<ResultContent>,
    #[serde(default)]
    pub is_error: Flag,
}

impl Block<'_> {
    pub fn kind(&self) -> &str {
        self.ty.as_ref().map(|s| s.as_str()).unwrap_or("")
    }
}

/// The content of a tool_result: a string or a list of blocks, joined to text.
#[derive(Debug, Default)]
pub struct ResultContent(pub String);

impl<'de> Deserialize<'de> for ResultContent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Item<'a> {
            #[serde(rename = "type", borrow, default)]
            ty: Option<Str<'a>>,
            #[serde(borrow, default)]
            text: Option<Str<'a>>,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ResultContent;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("tool result content")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(ResultContent(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(ResultContent(v))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ResultContent::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(ResultContent::default())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(ResultContent(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(ResultContent(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(ResultContent(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut out = String::new();
                while let Some(it) = a.next_element::<Option<Item<'de>>>()? {
                    let Some(it) = it else { continue };
                    let piece = match (it.ty.as_ref().map(|s| s.as_str()), &it.text) {
                        (_, Some(t)) => t.as_str().to_string(),
                        (Some("image"), None) => "[image]".to_string(),
                        _ => continue,
                    };
                    if !out.is_empty() {
                        out.push('\n');
                    }
                    out.push_str(&piece);
                }
                Ok(ResultContent(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<Self::Value, A::Error> {
                let it = Item::deserialize(de::value::MapAccessDeserializer::new(a))?;
                Ok(ResultContent(
                    it.text.map(|t| t.0.into_owned()).unwrap_or_default(),
                ))
            }
        }
        d.deserialize_any(V)
    }
}

/// `toolUseResult`: structured result of a tool (an object, or an error string).
#[derive(Debug, Default)]
pub struct ToolUseResult<'a> {
    pub text: Option<Str<'a>>,
    pub exit_code: Option<i64>,
    pub interrupted: bool,
    /// The object has a `stdout` field (a shell result).
    pub has_stdout: bool,
}

impl<'de: 'a, 'a> Deserialize<'de> for ToolUseResult<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ToolUseResult<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tool use result")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(ToolUseResult {
                    text: Some(Str(Cow::Borrowed(v))),
                    ..Default::default()
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(ToolUseResult {
                    text: Some(Str(Cow::Owned(v.to_string()))),
                    ..Default::default()
                })
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ToolUseResult::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(ToolUseResult::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(ToolUseResult::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(ToolUseResult::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(ToolUseResult::default())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(ToolUseResult::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut r = ToolUseResult::default();
                while let Some(k) = a.next_key::<Str<'de>>()? {
                    match k.as_str() {
                        "exitCode" | "exit_code" | "returnCode" | "code" => {
                            let n: Num = a.next_value()?;
                            if r.exit_code.is_none() {
                                r.exit_code = n.0;
                            }
                        }
                        "interrupted" => r.interrupted = a.next_value::<Flag>()?.0,
                        "stdout" => {
                            a.next_value::<IgnoredAny>()?;
                            r.has_stdout = true;
                        }
                        _ => {
                            a.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(r)
            }
        }
        d.deserialize_any(V)
    }
}

/// The value of the first `"type":"..."` in a line, found without parsing.
/// Claude Code writes simple scalar fields before the nested ones, so this is
/// the record type for the bulky record kinds we skip (progress, snapshots).
pub fn first_type(line: &str) -> Option<&str> {
    let pat = b"\"type\":\"";
    let i = memchr::memmem::find(line.as_bytes(), pat)? + pat.len();
    let rest = &line[i..];
    let end = memchr::memchr(b'"', rest.as_bytes())?;
    Some(&rest[..end])
}
