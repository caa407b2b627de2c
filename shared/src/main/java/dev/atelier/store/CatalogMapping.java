package dev.atelier.store;

import dev.atelier.catalog.Plan;
import dev.atelier.catalog.PlanCode;

/** Codecs of {@code plans/{code}}, {@code models_config/{id}} and the {@code system} documents. */
final class CatalogMapping {
    private CatalogMapping() {}

    static void writePlan(Plan p, DocWriter w) {
        w.put(Plan.Field.CODE, p.code())
                .put(Plan.Field.NAME, p.name())
                .put(Plan.Field.CREDITS, p.credits())
                .put(Plan.Field.PRICE_IN_PAISE, p.priceInPaise())
                .put(Plan.Field.ACTIVE, p.active())
                .put(Plan.Field.SORT, p.sort())
                .put(Plan.Field.CREATED_AT, p.createdAt())
                .put(Plan.Field.UPDATED_AT, p.updatedAt());
    }

    static Plan readPlan(DocumentKey key, DocReader r) {
        return new Plan(PlanCode.fromWire(key.id("planCode")),
                r.str(Plan.Field.NAME),
                r.lng(Plan.Field.CREDITS),
                r.lngOr(Plan.Field.PRICE_IN_PAISE, 0),
                r.boolOr(Plan.Field.ACTIVE, true),
                r.optLng(Plan.Field.SORT),
                r.optInstant(Plan.Field.CREATED_AT),
                r.optInstant(Plan.Field.UPDATED_AT));
    }
}
