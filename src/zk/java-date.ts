/**
 * `java.util.Date.toString()` ("EEE MMM dd HH:mm:ss zzz yyyy"), as zkCli's StatPrinter prints ctime
 * and mtime, for a server whose default time zone is UTC (the oracle's recordings:
 * `Thu Jan 01 00:00:00 UTC 1970`). Integer arithmetic only; no host clock or Date object.
 */
const DAYS = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"] as const; // 1970-01-01 was a Thursday
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const MS_PER_DAY = 86_400_000;

const pad2 = (n: number): string => n.toString().padStart(2, "0");
const floorDiv = (a: number, b: number): number => Math.floor(a / b);

/** Proleptic Gregorian civil date from days since 1970-01-01 (H. Hinnant's days_from_civil inverse). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = floorDiv(z, 146_097);
  const doe = z - era * 146_097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36_524) - floorDiv(doe, 146_096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const day = doy - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function javaDateString(epochMs: number): string {
  if (!Number.isSafeInteger(epochMs)) throw new RangeError(`time ${epochMs} is not an integer of milliseconds`);
  const days = floorDiv(epochMs, MS_PER_DAY);
  const msOfDay = epochMs - days * MS_PER_DAY;
  const secs = floorDiv(msOfDay, 1000);
  const { year, month, day } = civilFromDays(days);
  const weekday = DAYS[((days % 7) + 7) % 7];
  const mon = MONTHS[month - 1];
  const hms = `${pad2(floorDiv(secs, 3600))}:${pad2(floorDiv(secs, 60) % 60)}:${pad2(secs % 60)}`;
  return `${weekday} ${mon} ${pad2(day)} ${hms} UTC ${year}`;
}
