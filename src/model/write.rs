//! A scenario written back as TOML: for generated cities (benchmarks, the
//! simulator), so other tools and people can read and re-run them.

use std::collections::BTreeMap;

use super::Scenario;
use super::file::{
    AllocationFile, CategoryFile, ConstraintsFile, DelegateFile, DistrictFile, GroupFile, PoolFile,
    ProposalFile, QuorumFile, RankEntry, ScenarioFile, ScoringFile,
};
use crate::scoring::ScoringRule;

const STANDARD: [&str; 3] = ["need", "poverty", "infrastructure_gap"];

impl Scenario {
    /// The raw file form of this scenario (budget sources are written as a
    /// fixed pool: what they moved).
    pub fn to_file(&self) -> ScenarioFile {
        let id = |d: usize| self.districts[d].id.clone();
        let (rule, k) = match self.settings.scoring {
            ScoringRule::Borda => ("borda", None),
            ScoringRule::Dowdall => ("dowdall", None),
            ScoringRule::TopK { k } => ("top-k", Some(k)),
        };
        let c = &self.constraints;
        ScenarioFile {
            name: Some(self.name.clone()),
            description: (!self.description.is_empty()).then(|| self.description.clone()),
            seed: Some(self.seed),
            pool: Some(PoolFile {
                amount: Some(self.pool.amount),
                currency: self.pool.currency.clone(),
            }),
            districts: self
                .districts
                .iter()
                .map(|d| DistrictFile {
                    id: d.id.clone(),
                    name: (d.name != d.id).then(|| d.name.clone()),
                    population: d.population,
                    need: d.need(),
                    poverty: d.poverty(),
                    infrastructure_gap: d.infrastructure_gap(),
                    parent: d.parent.map(id),
                    indicators: d
                        .indicators
                        .iter()
                        .filter(|(k, _)| !STANDARD.contains(&k.as_str()))
                        .map(|(k, v)| (k.clone(), *v))
                        .collect(),
                    groups: d.group_shares.clone(),
                })
                .collect(),
            proposals: self
                .proposals
                .iter()
                .map(|p| ProposalFile {
                    id: p.id.clone(),
                    title: (!p.title.is_empty() && p.title != p.id).then(|| p.title.clone()),
                    district: p.district.map_or_else(|| "citywide".to_string(), id),
                    category: p.category.clone(),
                    cost: p.cost,
                    divisible: p.divisible,
                    min_share: p.min_share,
                })
                .collect(),
            delegates: self
                .delegates
                .iter()
                .map(|d| DelegateFile {
                    id: d.id.clone(),
                    district: id(d.district),
                    group: d.group.map(|g| self.groups[g].id.clone()),
                    ranking: d
                        .ranking
                        .tiers
                        .iter()
                        .map(|t| match t.as_slice() {
                            [one] => RankEntry::One(self.proposals[*one].id.clone()),
                            many => RankEntry::Tied(
                                many.iter().map(|p| self.proposals[*p].id.clone()).collect(),
                            ),
                        })
                        .collect(),
                })
                .collect(),
            groups: self
                .groups
                .iter()
                .map(|g| GroupFile {
                    id: g.id.clone(),
                    name: Some(g.name.clone()),
                    population_share: g.population_share,
                    turnout_share: g.turnout_share,
                })
                .collect(),
            formula: Some(self.formula.clone()),
            formula_levels: self
                .formula_levels
                .iter()
                .map(|(l, f)| (l.to_string(), f.clone()))
                .collect(),
            scoring: ScoringFile {
                rule: Some(rule.into()),
                k,
                reweight_groups: self.settings.reweight_groups,
            },
            allocation: AllocationFile {
                rule: Some(self.settings.rule),
                need_weighted_objective: self.settings.need_weighted_objective,
            },
            constraints: ConstraintsFile {
                entitlement_floor: Some(c.entitlement_floor),
                district_floors: c
                    .district_floors
                    .iter()
                    .enumerate()
                    .filter_map(|(d, f)| f.map(|v| (id(d), v)))
                    .collect(),
                district_cap: None,
                district_caps: c
                    .district_caps
                    .iter()
                    .enumerate()
                    .filter_map(|(d, f)| f.map(|v| (id(d), v)))
                    .collect::<BTreeMap<_, _>>(),
                categories: c
                    .categories
                    .iter()
                    .map(|x| CategoryFile {
                        category: x.category.clone(),
                        min_share: x.min_share,
                        max_share: x.max_share,
                    })
                    .collect(),
                quorums: c
                    .quorums
                    .iter()
                    .map(|q| QuorumFile {
                        group: self.groups[q.group].id.clone(),
                        top_k: q.top_k,
                        min_share: q.min_share,
                    })
                    .collect(),
            },
            ..Default::default()
        }
    }

    /// The scenario as a TOML document that `participa` reads back to an equal scenario.
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        toml::to_string(&self.to_file())
    }
}
