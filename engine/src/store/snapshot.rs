//! Reading one plan whole for the secretariat's screens (and the report): tasks with their money,
//! owners, indicators with their latest value, the outbox and recent history.

use super::query::{row_fields, tz_of};
use super::{agg, Store, StoreError};
use crate::clock::Clock;
use crate::figures::{HistoryItem, IndicatorInfo, OwnerInfo, PriorityInfo, Snapshot, TaskMoney};
use rustc_hash::FxHashMap as HashMap;
use sqlx::{AssertSqlSafe, Row};

impl Store {
    /// A cheap value that changes whenever anything recorded changes: revisions, events, outbox.
    pub async fn change_marker(&self) -> Result<String, StoreError> {
        let r = sqlx::query(
            "SELECT (SELECT COALESCE(MAX(next_id), 0) FROM id_seq), (SELECT COUNT(*) FROM outbox WHERE status = 'sent'), (SELECT COUNT(*) FROM outbox WHERE status = 'failed')",
        )
        .fetch_one(&self.pool)
        .await?;
        let ids: i64 = r.try_get(0)?;
        let sent: i64 = r.try_get(1)?;
        let failed: i64 = r.try_get(2)?;
        let seqs: Vec<i64> = sqlx::query("SELECT next_id FROM id_seq ORDER BY name")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .filter_map(|r| r.try_get(0).ok())
            .collect();
        Ok(format!("{ids}/{sent}/{failed}/{seqs:?}"))
    }

    /// Everything about one plan (the only one, or `plan`), at the clock's today.
    pub async fn snapshot(
        &self,
        plan: Option<&str>,
        clock: &Clock,
    ) -> Result<Snapshot, StoreError> {
        let plans = self.plan_zones(plan).await?;
        let (plan_id, tz) = match plans.as_slice() {
            [] => return Err(StoreError::Empty),
            [one] => one.clone(),
            many => {
                return Err(StoreError::NeedPlan(
                    many.iter()
                        .map(|(p, _)| p.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ))
            }
        };
        let marker = self.change_marker().await?;
        let today = clock.today(tz);
        let p = sqlx::query("SELECT title, currency, revision, timezone FROM plans WHERE id = $1")
            .bind(&plan_id)
            .fetch_one(&self.pool)
            .await?;
        let _ = tz_of(&p.try_get::<String, _>(3)?);
        let priorities = sqlx::query("SELECT id, title FROM priorities WHERE plan_id = $1 AND archived = 0 ORDER BY position")
            .bind(&plan_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok(PriorityInfo { id: r.try_get(0)?, title: r.try_get(1)? }))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let owners = sqlx::query("SELECT id, name, short, emails FROM owners WHERE plan_id = $1 AND archived = 0 ORDER BY id")
            .bind(&plan_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(OwnerInfo {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    short: r.try_get(2)?,
                    emails: serde_json::from_str(&r.try_get::<String, _>(3)?).unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;

        let mut spent: HashMap<String, f64> = HashMap::default();
        for r in sqlx::query(
            "SELECT task_id, SUM(amount_plan) FROM spendings WHERE plan_id = $1 GROUP BY task_id",
        )
        .bind(&plan_id)
        .fetch_all(&self.pool)
        .await?
        {
            spent.insert(r.try_get(0)?, r.try_get(1)?);
        }

        let mut fields = row_fields();
        for c in [
            "budget_planned",
            "budget_secured",
            "budget_pledged",
            "budget_needed",
        ] {
            fields.push(format!("CAST({c} AS TEXT)"));
        }
        fields.push("resources".into());
        fields.push("CAST(position AS TEXT)".into());
        // Sorted here rather than by the aggregate: SQLite would buffer and sort every row's text.
        let sql = format!(
            "SELECT {} FROM tasks WHERE plan_id = $1 AND archived = 0",
            agg::aggregate(&fields, None)
        );
        let all: Option<String> = sqlx::query(AssertSqlSafe(sql))
            .bind(&plan_id)
            .bind(agg::FIELD)
            .bind(agg::ROW)
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let mut tasks = Vec::new();
        let mut positions: Vec<i64> = Vec::new();
        for all_fields in agg::rows(all.as_deref()) {
            positions.push(all_fields.last().and_then(|p| p.parse().ok()).unwrap_or(0));
            let row = super::query::task_row_from_fields(&all_fields, &plan_id, today)?;
            let f = &all_fields[11..];
            let num = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
            let resources: serde_json::Value = f
                .get(4)
                .and_then(|r| serde_json::from_str(r).ok())
                .unwrap_or_default();
            let funding = resources
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .filter(|r| r["kind"] == "budget")
                        .map(|r| {
                            (
                                r["funder"].as_str().unwrap_or("").to_string(),
                                r["status"].as_str().unwrap_or("needed").to_string(),
                                r["amount_plan"].as_f64().unwrap_or(0.0),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            tasks.push(TaskMoney {
                spent: spent.get(&row.id).copied().unwrap_or(0.0),
                row,
                planned: num(0),
                secured: num(1),
                pledged: num(2),
                needed: num(3),
                funding,
            });
        }
        let mut ordered: Vec<(i64, TaskMoney)> = positions.into_iter().zip(tasks).collect();
        ordered.sort_by_key(|(p, _)| *p);
        let tasks: Vec<TaskMoney> = ordered.into_iter().map(|(_, t)| t).collect();

        let mut latest: HashMap<String, (String, f64)> = HashMap::default();
        for r in sqlx::query("SELECT indicator_id, measured_on, value FROM indicator_values WHERE plan_id = $1 ORDER BY measured_on, id")
            .bind(&plan_id)
            .fetch_all(&self.pool)
            .await?
        {
            latest.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
        }
        let indicators = sqlx::query("SELECT id, priority_id, title, unit, baseline, target, due_label FROM indicators WHERE plan_id = $1 AND archived = 0 ORDER BY position")
            .bind(&plan_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let id: String = r.try_get(0)?;
                Ok(IndicatorInfo {
                    latest: latest.get(&id).cloned(),
                    id,
                    priority: r.try_get(1)?,
                    title: r.try_get(2)?,
                    unit: r.try_get(3)?,
                    baseline: r.try_get(4)?,
                    target: r.try_get(5)?,
                    due: r.try_get(6)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;

        let outbox = self
            .outbox(None)
            .await?
            .into_iter()
            .filter(|o| o.plan == plan_id)
            .collect();
        let history = sqlx::query("SELECT at, actor, kind, task_id, data, note FROM events WHERE plan_id = $1 ORDER BY id DESC LIMIT 300")
            .bind(&plan_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let data: serde_json::Value = serde_json::from_str(&r.try_get::<String, _>(4)?).unwrap_or_default();
                let kind: String = r.try_get(2)?;
                Ok(HistoryItem {
                    at: r.try_get(0)?,
                    actor: r.try_get(1)?,
                    summary: summarise(&kind, &data),
                    kind,
                    task: r.try_get(3)?,
                    note: r.try_get(5)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Snapshot {
            plan_id,
            plan_title: p.try_get(0)?,
            currency: p.try_get(1)?,
            revision: p.try_get(2)?,
            today,
            priorities,
            owners,
            tasks,
            indicators,
            outbox,
            history,
            marker,
        })
    }
}

/// A short, language-neutral summary of an event's data (statuses and numbers).
fn summarise(kind: &str, data: &serde_json::Value) -> String {
    let mut parts = Vec::new();
    if let Some(s) = data.get("status") {
        parts.push(format!(
            "{} → {}",
            s["from"].as_str().unwrap_or("?"),
            s["to"].as_str().unwrap_or("?")
        ));
    }
    if let Some(p) = data.get("progress") {
        parts.push(format!("{} → {} %", p["from"], p["to"]));
    }
    match kind {
        "revision" => parts.push(format!(
            "r{} +{} ~{} -{}",
            data["revision"], data["added"], data["changed"], data["archived"]
        )),
        "spending" => parts.push(format!(
            "{} {}",
            crate::text::group_thousands(data["amount"].as_f64().unwrap_or(0.0)),
            data["currency"].as_str().unwrap_or("")
        )),
        "indicator" => parts.push(format!(
            "{} = {}",
            data["indicator"].as_str().unwrap_or(""),
            data["value"]
        )),
        "renamed" => parts.push(format!(
            "{} → {}",
            data["from"].as_str().unwrap_or(""),
            data["to"].as_str().unwrap_or("")
        )),
        _ => {}
    }
    parts.join(" · ")
}

impl Store {
    /// For the report: deadline slips (count, total days) and the latest note of each task.
    pub async fn report_extras(&self, plan_id: &str) -> Result<crate::report::Extras, StoreError> {
        let mut extras = crate::report::Extras::default();
        for r in sqlx::query("SELECT task_id, COUNT(*), CAST(COALESCE(SUM(days), 0) AS BIGINT) FROM deadline_slips WHERE plan_id = $1 GROUP BY task_id")
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await?
        {
            let count: i64 = r.try_get(1)?;
            extras.slips.insert(r.try_get(0)?, (count as usize, r.try_get(2)?));
        }
        for r in sqlx::query("SELECT task_id, note FROM events WHERE plan_id = $1 AND task_id IS NOT NULL AND note IS NOT NULL ORDER BY id")
            .bind(plan_id)
            .fetch_all(&self.pool)
            .await?
        {
            extras.notes.insert(r.try_get(0)?, r.try_get(1)?);
        }
        Ok(extras)
    }
}

impl Store {
    /// The language a plan's reports and e-mails are written in.
    pub async fn plan_language(&self, plan_id: &str) -> Result<crate::lang::Lang, StoreError> {
        let r = sqlx::query("SELECT language FROM plans WHERE id = $1")
            .bind(plan_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(r.try_get::<String, _>(0)?.parse().unwrap_or_default())
    }
}
