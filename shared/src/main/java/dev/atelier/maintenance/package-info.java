/**
 * What the scheduled functions share: {@link dev.atelier.maintenance.Sweep}, which walks a large
 * query in bounded pages from a saved cursor and stops before its deadline, so a run over 100,000
 * documents resumes where the last one stopped; {@link dev.atelier.maintenance.Lease}, one run of a
 * job at a time; both live in {@code maintenance/{job}} ({@link
 * dev.atelier.maintenance.MaintenanceState}).
 */
package dev.atelier.maintenance;
