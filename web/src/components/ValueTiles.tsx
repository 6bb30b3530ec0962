/**
 * The value metrics of one scope as tiles, each with its unit or basis beside the number.
 * @module
 */
import { formatCount, formatDecimal, formatShare, formatUsd } from '../format.js';
import type { ValueSummary } from '../types.js';
import { Tile, Tiles } from './Tiles.js';

export function ValueTiles({ s }: { s: ValueSummary }) {
  const basis = s.shipped.basis === 'merged_prs' ? 'merged PRs' : 'commits on the default branch';
  const ndBasis =
    s.nd.basis === 'deployments' ? 'production deployments' : 'durable merged PRs (no deployment data)';
  return (
    <Tiles>
      <Tile
        id="shipped"
        label="Shipped changes"
        value={formatCount(s.shipped.shipped)}
        raw={s.shipped.shipped}
        note={basis}
      />
      <Tile
        id="durable"
        label="Durable changes"
        value={formatCount(s.shipped.durable)}
        raw={s.shipped.durable}
        note={`${formatShare(s.shipped.survivalRate)} survived ${s.shipped.revertHorizonDays} days`}
      />
      <Tile
        id="nd"
        label="Normalised deployments"
        value={formatDecimal(s.nd.nd)}
        raw={s.nd.nd}
        note={`${formatDecimal(s.nd.perEngineerWeek)} per engineer-week; from ${ndBasis}`}
      />
      <Tile
        id="awu"
        label="Agent work units"
        value={formatCount(s.agentWork.units)}
        raw={s.agentWork.units}
        note={`of ${formatCount(s.agentWork.attempted)} agent sessions; ${formatShare(s.agentWork.successRate)} success`}
      />
      <Tile
        id="cost-per-nd"
        label="Cost per outcome"
        value={`${formatUsd(s.costPerOutcome.perNd)} / ND`}
        raw={s.costPerOutcome.perNd}
        note={`${formatUsd(s.costPerOutcome.perAgentWorkUnit)} per AWU; ${formatUsd(s.costPerOutcome.perDurableChange)} per durable change`}
      />
      <Tile
        id="adoption"
        label="Adoption"
        value={formatShare(s.adoption.meanActiveShare)}
        raw={s.adoption.meanActiveShare}
        note={`weekly active AI users, mean share of headcount; agentic ${formatShare(s.adoption.meanAgenticShare)}`}
      />
      <Tile
        id="regularity"
        label="AI regularity"
        value={formatShare(s.regularity.regularity)}
        raw={s.regularity.regularity}
        note={`${formatCount(s.regularity.aiWeeks)} of ${formatCount(s.regularity.workingWeeks)} working weeks shipped durable AI-assisted work`}
      />
      <Tile
        id="waste"
        label="Spend without a durable outcome"
        value={formatUsd(s.waste.costUsd)}
        raw={s.waste.costUsd}
        note={`${formatShare(s.waste.share)} of spend`}
      />
      <Tile
        id="cache"
        label="Cache efficiency"
        value={formatShare(s.cacheEfficiency.efficiency)}
        raw={s.cacheEfficiency.efficiency}
        note="cache reads / all prompt tokens"
      />
    </Tiles>
  );
}
