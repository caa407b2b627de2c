package dev.atelier.schema;

import dev.atelier.admin.AdminAudit;
import dev.atelier.maintenance.MaintenanceState;
import dev.atelier.store.DocumentKey;

/** Codecs of {@code admin_audit/{id}} and {@code maintenance/{job}}. */
final class AdminMapping {
  private AdminMapping() {}

  static void writeAudit(AdminAudit a, DocWriter w) {
    w.put(AdminAudit.Field.ACTOR, a.actor())
        .put(AdminAudit.Field.ACTION, a.action())
        .put(AdminAudit.Field.TARGET, a.target())
        .put(AdminAudit.Field.BEFORE, a.before())
        .put(AdminAudit.Field.AFTER, a.after())
        .put(AdminAudit.Field.AT, a.at())
        .put(AdminAudit.Field.REQUEST_ID, a.requestId());
  }

  static AdminAudit readAudit(DocumentKey key, DocReader r) {
    return new AdminAudit(
        key.id("auditId"),
        r.str(AdminAudit.Field.ACTOR),
        r.enm(AdminAudit.Field.ACTION, AdminAudit.Action.class),
        r.str(AdminAudit.Field.TARGET),
        r.rawMap(AdminAudit.Field.BEFORE),
        r.rawMap(AdminAudit.Field.AFTER),
        r.optInstant(AdminAudit.Field.AT),
        r.optStr(AdminAudit.Field.REQUEST_ID));
  }

  static void writeMaintenance(MaintenanceState m, DocWriter w) {
    w.put(MaintenanceState.Field.JOB, m.job())
        .put(MaintenanceState.Field.CURSORS, m.cursors())
        .put(MaintenanceState.Field.UPDATED_AT, m.updatedAt())
        .put(MaintenanceState.Field.LEASE_HOLDER, m.leaseHolder())
        .put(MaintenanceState.Field.LEASE_UNTIL, m.leaseUntil());
  }

  static MaintenanceState readMaintenance(DocumentKey key, DocReader r) {
    java.util.Map<String, String> cursors = new java.util.LinkedHashMap<>();
    r.rawMap(MaintenanceState.Field.CURSORS)
        .forEach(
            (k, v) -> {
              if (v instanceof String s) {
                cursors.put(k, s);
              }
            });
    return new MaintenanceState(
        key.id("job"),
        cursors,
        r.optInstant(MaintenanceState.Field.UPDATED_AT),
        r.optStr(MaintenanceState.Field.LEASE_HOLDER),
        r.optInstant(MaintenanceState.Field.LEASE_UNTIL));
  }
}
