//! Tidy tables of a result, as polars DataFrames (written to CSV and Parquet).

use polars::prelude::*;

use crate::error::OutputError;
use crate::solve::Allocation;

fn frame_err(name: &str) -> impl FnOnce(PolarsError) -> OutputError + '_ {
    move |e| OutputError::Table {
        name: name.into(),
        message: e.to_string(),
    }
}

/// One row per proposal: id, title, district, category, cost, divisible, score,
/// weight, funded_share, funded_amount.
pub fn allocation_frame(a: &Allocation) -> Result<DataFrame, OutputError> {
    let p = &a.proposals;
    df!(
        "id" => p.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        "title" => p.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(),
        "district" => p.iter().map(|r| r.district.as_str()).collect::<Vec<_>>(),
        "category" => p.iter().map(|r| r.category.as_str()).collect::<Vec<_>>(),
        "cost" => p.iter().map(|r| r.cost).collect::<Vec<_>>(),
        "divisible" => p.iter().map(|r| r.divisible).collect::<Vec<_>>(),
        "score" => p.iter().map(|r| r.score).collect::<Vec<_>>(),
        "weight" => p.iter().map(|r| r.weight).collect::<Vec<_>>(),
        "funded_share" => p.iter().map(|r| r.funded_share).collect::<Vec<_>>(),
        "funded_amount" => p.iter().map(|r| r.funded_amount).collect::<Vec<_>>(),
    )
    .map_err(frame_err("allocation"))
}

/// One row per district: id, name, level, parent (empty at the top level), population, entitlement_share, entitlement,
/// floor, funded, funded_per_capita, coverage.
pub fn districts_frame(a: &Allocation) -> Result<DataFrame, OutputError> {
    let d = &a.districts;
    df!(
        "id" => d.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        "name" => d.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
        "level" => d.iter().map(|r| r.level as u32).collect::<Vec<_>>(),
        "parent" => d.iter().map(|r| r.parent.as_deref()).collect::<Vec<_>>(),
        "population" => d.iter().map(|r| r.population).collect::<Vec<_>>(),
        "entitlement_share" => d.iter().map(|r| r.entitlement_share).collect::<Vec<_>>(),
        "entitlement" => d.iter().map(|r| r.entitlement).collect::<Vec<_>>(),
        "floor" => d.iter().map(|r| r.floor).collect::<Vec<_>>(),
        "funded" => d.iter().map(|r| r.funded).collect::<Vec<_>>(),
        "funded_per_capita" => d.iter().map(|r| r.funded_per_capita).collect::<Vec<_>>(),
        "coverage" => d.iter().map(|r| r.coverage).collect::<Vec<_>>(),
    )
    .map_err(frame_err("districts"))
}
