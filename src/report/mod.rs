//! Outputs: terminal, HTML, JSON, CSV, Parquet. OWNER: analysis helper.
