// mock-kept-aside.ts: DEV ONLY — the mock backend's "kept aside by a team sync" commands
// (team_kept_aside, team_resolve_kept_aside; docs/app-commands.md), imported by mock.ts only.
// Three values were kept aside: a vendor's notes and a review answer (both can be put back), and
// a comment whose row is gone (only "keep theirs" works; "keep mine" is refused as the core
// refuses it). Errors are `{code, message, detail}` objects, as the real backend's.

import type { KeptAside } from "../lib/types";

const err = (code: string, message: string) => ({ code, message, detail: null });
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");

/** The commands; `count` tells mock.ts's team_status how many are left. */
export function keptAsideCommands() {
  let list: KeptAside[] = [
    {
      id: 3, table: "vendors", what: "vendor Meridian EHR Cloud", field: "notes",
      yours: "Renewal call on 12 March: they confirmed the SOC 2 bridge letter covers Q1.\nAsked for the HITRUST r2 report; promised by end of April.\nKeep an eye on the sub-processor list (two new ones in EU-West).",
      theirs: "SOC 2 bridge letter received. HITRUST pending.",
      by: "ana", at: hoursAgo(2), restorable: true,
    },
    {
      id: 2, table: "review_items", what: "question 3 of initech-security-2025.xlsx", field: "answer",
      yours: "Yes. Backups are encrypted at rest with AES-256 (keys in the cloud provider's KMS, rotated yearly) and restores are tested every quarter; the last test (January) restored the production database in 47 minutes.",
      theirs: "Yes, see the backup policy.",
      by: "bruno", at: hoursAgo(5), restorable: true,
    },
    {
      id: 1, table: "comments", what: "a comment that is no longer here", field: "body",
      yours: "Legal should look at the liability clause before we answer.", theirs: null,
      by: "carla", at: hoursAgo(26), restorable: false,
    },
  ];

  return {
    count: () => list.length,
    commands: {
      team_kept_aside: (): KeptAside[] => list,
      team_resolve_kept_aside: ({ id, keepMine }: { id: number; keepMine: boolean }): KeptAside[] => {
        const k = list.find((x) => x.id === id);
        if (!k) throw err("team.kept_aside.no_such", `nothing kept aside has the id ${id}; it may have been settled already`);
        if (keepMine && !k.restorable) {
          throw err("team.kept_aside.row_gone", "the comment this value belonged to is no longer here, so it cannot be put back; keep theirs to clear it");
        }
        list = list.filter((x) => x.id !== id);
        return list;
      },
    } as Record<string, (a: any) => unknown>,
  };
}
