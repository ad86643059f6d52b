//! `cnrm indicator record`.

use super::args::IndicatorRecordArgs;
use super::tasks::{day, number};
use super::{output, with_store, CliError};
use crate::context::Ctx;
use crate::strings;
use std::io::Write;

pub fn record(ctx: &Ctx, args: &IndicatorRecordArgs) -> Result<(), CliError> {
    let what = cnrm_engine::tr!(ctx.lang, "valeur", "value");
    let value = number(ctx.lang, &what, &args.value, true)?;
    let date = day(ctx.lang, &args.date)?;
    let mut out = output::stdout();
    with_store(ctx, async |store| {
        let plan = store
            .record_indicator(
                &args.id,
                args.plan.as_deref(),
                value,
                date,
                args.note.as_deref(),
                &ctx.actor,
                &ctx.clock,
            )
            .await?;
        let line = strings::indicator_recorded(ctx.lang, &args.id, value, &plan);
        Ok(writeln!(out, "{line}")?)
    })?;
    Ok(out.flush()?)
}
