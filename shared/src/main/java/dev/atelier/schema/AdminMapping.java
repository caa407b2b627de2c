package dev.atelier.schema;

import dev.atelier.store.DocumentKey;

import dev.atelier.admin.AdminAudit;

/** Codec of {@code admin_audit/{id}}. */
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
    return new AdminAudit(key.id("auditId"),
        r.str(AdminAudit.Field.ACTOR),
        r.enm(AdminAudit.Field.ACTION, AdminAudit.Action.class),
        r.str(AdminAudit.Field.TARGET),
        r.rawMap(AdminAudit.Field.BEFORE),
        r.rawMap(AdminAudit.Field.AFTER),
        r.optInstant(AdminAudit.Field.AT),
        r.optStr(AdminAudit.Field.REQUEST_ID));
  }
}
