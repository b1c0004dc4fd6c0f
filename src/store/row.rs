//! Reads a stored row straight into a [`SessionRecord`] through serde, with
//! no intermediate JSON values: each column is handed to the record's own
//! `Deserialize` as the type the column declares. Rows this fast path cannot
//! take (a NULL in a column the record requires, fields kept in `extra_json`)
//! go through `columns::from_map` instead.

use super::columns::{Ty, COLUMNS};
use crate::record::SessionRecord;
use rusqlite::types::ValueRef;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::forward_to_deserialize_any;

#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Error {}
impl de::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// One row: the value of each listed column (`cols` indexes `COLUMNS`).
pub struct Row<'a> {
    pub cols: &'a [usize],
    pub values: Vec<ValueRef<'a>>,
}

/// The record of a row, when every field can be read directly.
pub fn record(row: Row<'_>) -> Result<SessionRecord, Error> {
    serde::Deserialize::deserialize(RowDe { row, next: 0 })
}

struct RowDe<'a> {
    row: Row<'a>,
    next: usize,
}

impl<'de, 'a> de::Deserializer<'de> for RowDe<'a> {
    type Error = Error;
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_map(self)
    }
    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de, 'a> MapAccess<'de> for RowDe<'a> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.next >= self.row.cols.len() {
            return Ok(None);
        }
        let name = COLUMNS[self.row.cols[self.next]].name;
        seed.deserialize(name.into_deserializer()).map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let k = self.next;
        self.next += 1;
        let c = &COLUMNS[self.row.cols[k]];
        seed.deserialize(ValueDe {
            ty: c.ty,
            v: self.row.values[k],
        })
    }
}

struct ValueDe<'a> {
    ty: Ty,
    v: ValueRef<'a>,
}

impl<'de, 'a> de::Deserializer<'de> for ValueDe<'a> {
    type Error = Error;
    fn deserialize_any<V: Visitor<'de>>(self, vis: V) -> Result<V::Value, Error> {
        match (self.ty, self.v) {
            (_, ValueRef::Null) => vis.visit_none(),
            (Ty::Bool, ValueRef::Integer(i)) => vis.visit_bool(i != 0),
            (Ty::Real | Ty::Float, ValueRef::Integer(i)) => vis.visit_f64(i as f64),
            (_, ValueRef::Integer(i)) => vis.visit_i64(i),
            (_, ValueRef::Real(f)) => vis.visit_f64(f),
            (_, ValueRef::Text(t)) => match std::str::from_utf8(t) {
                Ok(s) => vis.visit_str(s),
                Err(_) => vis.visit_string(String::from_utf8_lossy(t).into_owned()),
            },
            (_, ValueRef::Blob(b)) => vis.visit_bytes(b),
        }
    }
    fn deserialize_option<V: Visitor<'de>>(self, vis: V) -> Result<V::Value, Error> {
        match self.v {
            ValueRef::Null => vis.visit_none(),
            _ => vis.visit_some(self),
        }
    }
    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, UnitWrite};

    #[test]
    fn the_fast_path_reads_a_full_row_and_refuses_a_missing_field() {
        let s = Store::open_in_memory().unwrap();
        let mut r = SessionRecord {
            session_id: "fast".into(),
            duration_s: Some(0.1 + 0.2),
            work_mode_confidence: Some(0.7),
            tests_pass_at_end: Some(false),
            output_tokens: u32::MAX as u64 + 5,
            expertise: Some("4".into()),
            ..Default::default()
        };
        r.derive();
        s.write_units(&[UnitWrite {
            format: "f".into(),
            key: "k".into(),
            root_path: "/r".into(),
            root_name: "r".into(),
            classifier: "c".into(),
            files: vec![],
            records: vec![r.clone()],
        }])
        .unwrap();
        let conn = s.conn();
        let names: Vec<String> = s
            .cols
            .iter()
            .map(|&i| format!("\"{}\"", COLUMNS[i].name))
            .collect();
        let sql = format!("SELECT {} FROM records", names.join(", "));
        let mut st = conn.prepare(&sql).unwrap();
        let mut rows = st.query([]).unwrap();
        let row = rows.next().unwrap().unwrap();
        let values: Vec<ValueRef> = (0..s.cols.len()).map(|k| row.get_ref(k).unwrap()).collect();
        let back = record(Row {
            cols: &s.cols,
            values: values.clone(),
        })
        .unwrap();
        assert_eq!(back, r);
        // A NULL where the record needs a value is refused (the slow path
        // then fills the default).
        let mut v = values;
        let k = s
            .cols
            .iter()
            .position(|&i| COLUMNS[i].name == "user")
            .unwrap();
        v[k] = ValueRef::Null;
        assert!(record(Row {
            cols: &s.cols,
            values: v
        })
        .is_err());
    }
}
