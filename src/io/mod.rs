//! Reading and writing files: tables (CSV / Parquet through polars) and
//! atomic output folders.

pub mod output;
pub mod table;
