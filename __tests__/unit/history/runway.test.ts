import { EMPTY_SOURCE } from "../../../src/billing/storage";
import type { BalanceSeries, Point } from "../../../src/history/readings";
import { creditRunway } from "../../../src/history/runway";
import { DAY_MS } from "../../../src/model/time";
import type { CreditReading } from "../../../src/model/types";
import { buildSourceState } from "../../../src/sources/state";
import { runwayText } from "../../../src/view/pace";
import { HOUR, MINUTE, NOW, settings } from "../../support/builders";

const DAY = DAY_MS;
const usd = (points: Point[]): BalanceSeries => ({ unit: "USD", points });

describe("credit runway", () => {
  test("spend per day over the readings, and how long the balance lasts at it", () => {
    const runway = creditRunway(
      usd([
        [NOW - 4 * DAY, 30],
        [NOW - 2 * DAY, 25.8],
        [NOW - HOUR, 21.6],
      ]),
      NOW,
    );
    expect(runway).toMatchObject({ unit: "USD", balance: 21.6, readings: 3 });
    expect(runway!.perDay).toBeCloseTo(8.4 / ((4 * DAY - HOUR) / DAY));
    expect(runway!.lastsMs! / DAY).toBeCloseTo(21.6 / runway!.perDay);
  });

  test("a rising balance is a top-up: the estimate starts again from it", () => {
    const runway = creditRunway(
      usd([
        [NOW - 6 * DAY, 5],
        [NOW - 5 * DAY, 1],
        [NOW - 3 * DAY, 50],
        [NOW - DAY, 46],
      ]),
      NOW,
    );
    expect(runway).toMatchObject({ balance: 46, readings: 2, spanMs: 2 * DAY, perDay: 2 });
    expect(runway!.lastsMs).toBe(23 * DAY);
  });

  test("a top-up as the newest reading leaves one reading: no estimate", () => {
    expect(
      creditRunway(
        usd([
          [NOW - 2 * DAY, 10],
          [NOW - HOUR, 60],
        ]),
        NOW,
      ),
    ).toBeNull();
  });

  test("never from one reading, nor from readings less than an hour apart", () => {
    expect(creditRunway(usd([[NOW - DAY, 20]]), NOW)).toBeNull();
    expect(
      creditRunway(
        usd([
          [NOW - 50 * MINUTE, 20],
          [NOW - 5 * MINUTE, 19],
        ]),
        NOW,
      ),
    ).toBeNull();
    expect(creditRunway(null, NOW)).toBeNull();
  });

  test("only the last 7 days count; readings from the future are ignored", () => {
    const runway = creditRunway(
      usd([
        [NOW - 20 * DAY, 90],
        [NOW - 6 * DAY, 40],
        [NOW - DAY, 30],
        [NOW + DAY, 1],
      ]),
      NOW,
    );
    expect(runway).toMatchObject({ readings: 2, perDay: 2, balance: 30 });
  });

  test("no spending: a rate of 0 and no run-out", () => {
    expect(
      creditRunway(
        usd([
          [NOW - 3 * DAY, 12],
          [NOW - HOUR, 12],
        ]),
        NOW,
      ),
    ).toMatchObject({ perDay: 0, lastsMs: null });
  });
});

describe("runway words", () => {
  const codexReading = (usable: boolean): CreditReading => ({
    balance: { kind: "codexCredits", credits: 300 },
    usable,
    updatedAt: NOW - HOUR,
  });
  const stateWith = (usable: boolean, unit = "credits") =>
    buildSourceState(
      {
        source: "codex",
        localCaps: null,
        stored: { ...EMPTY_SOURCE, credits: codexReading(usable) },
        history: {
          windows: [],
          balance: {
            unit,
            points: [
              [NOW - 3 * DAY - HOUR, 450],
              [NOW - HOUR, 300],
            ],
          },
        },
      },
      settings(),
      NOW,
    );

  test("Codex credits are priced at the current unit price: 50 credits a day at $0.04", () => {
    expect(runwayText(stateWith(true), NOW)).toBe("~6 days at $2.00/day, from 2 readings over 3d");
  });

  test("never for a balance that is not usable, nor from readings in another unit", () => {
    expect(runwayText(stateWith(false), NOW)).toBeUndefined();
    expect(runwayText(stateWith(true, "USD"), NOW)).toBeUndefined();
  });
});
