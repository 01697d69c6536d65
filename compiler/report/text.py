"""The words the context builder puts into a report, per language (the templates hold the rest)."""

from __future__ import annotations

import re

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title_semiannual": "Semiannual progress report",
        "title_quarterly": "Quarterly management report",
        "title_final": "Final report",
        "draft": "DRAFT — NOT FOR SUBMISSION",
        "draft_mark": "DRAFT",
        "draft_reason": "The workbooks still have {errors} error(s) and {warnings} warning(s), so figures may be "
                        "wrong until they are corrected. The first: {first}. See the annex for all of them.",
        "clean": "Validated as of the end of {period}. The workbooks have no open findings.",
        "open_findings": "Validated as of the end of {period}. {errors} error(s) and {warnings} warning(s) remain "
                         "open in the workbooks; each is listed below with its cell.",
        "donor": "MIF", "counterpart_cash": "Counterpart, cash", "counterpart_in_kind": "Counterpart, in kind",
        "counterpart": "Counterpart", "total": "Total",
        "contingencies": "Contingencies", "mif_cluster_monitoring": "MIF cluster monitoring",
        "component": "Component", "unknown_line": "Spending on lines not in the budget",
        "kf_budget": "Total budget", "kf_period": "Executed in the period", "kf_cumulative": "Executed to date",
        "kf_pct": "Share of the budget executed", "kf_disbursed": "MIF disbursed to date",
        "kf_counterpart_share": "Counterpart share of execution (agreed {agreed})",
        "kf_owed": "Counterpart owed to restore pari passu", "kf_overspent": "Lines overspent",
        "kf_indicators": "Indicators met or on track", "kf_findings": "Open validation findings",
        "figures_to": "Figures to the end of {period}",
        "budget_approved": "Budget: as approved.",
        "budget_revised": "Budget: as revised by revision {number} of {date}.",
        "revisions_text": "The budget has {count} revisions on record. {basis} Per line, the approved budget, the "
                          "budget in force, and what has been executed against it:",
        "revisions_text_one": "The budget has one revision on record. {basis} Per line, the approved budget, the "
                              "budget in force, and what has been executed against it:",
        "no_approval": "none", "yes": "yes", "no": "no", "not_planned": "not planned",
        "quarter_unrecorded": "The project records its spending per semester, so the spending of {quarter} is not "
                              "recorded separately (shown as –).",
        "unrecorded": "No execution is recorded for {periods}.",
        "semester_word": "Semester", "semesters_word": "Semesters", "no_record": "no record",
        "quarter_progress": "The logframe records progress per semester: the indicators and activities below are "
                            "those recorded by the end of {semester}, judged at the end of {quarter} (project month "
                            "{month}).",
        "quarter_progress_none": "The logframe records progress per semester and no semester has closed by the end "
                                 "of {quarter}: nothing is recorded yet; milestones are judged at project month "
                                 "{month}.",
        "quarter_no_narrative": "The project records its progress narrative per semester, at the semester's close; "
                                "no semester closes in {quarter}, so there is no narrative for it yet.",
        "summary_to_date": "To the end of {last} the project has executed {currency} {cumulative}, {pct} of the total "
                           "budget of {budget}; its spending in {period} is not recorded separately. The MIF has "
                           "disbursed {disbursed}. {pari}",
        "no_comments": "No comments recorded on the indicators.",
        "year": "Year {year}", "year_to_date": "to date", "after_years": "After the last budget year",
        "not_phased": "Not phased by year (contingencies, lines outside the subtotal)",
        "fund_advance": "advance", "fund_replenishment": "replenishment",
        "cash_on_hand": "MIF funds at the end of {period}: received {currency} {received}, less spent from MIF funds "
                        "{spent}, leaves {on_hand} on hand.",
        "cash_prefinanced": "MIF funds at the end of {period}: received {currency} {received}, spent from MIF funds "
                            "{spent}; the {on_hand} spent beyond what was received has been pre-financed by the "
                            "executing agency.",
        "advance_at_close": "At the close, a revolving-fund advance of {currency} {amount} is still outstanding: it "
                            "is to be justified with eligible spending or returned to the Bank.",
        "eval_first": "First evaluation", "eval_second": "Second evaluation",
        "eval_first_rule": "More than 50% of the MIF contribution disbursed, or 18 months after the first "
                           "disbursement",
        "eval_second_rule": "95% of the MIF contribution disbursed",
        "eval_first_share": "More than 50% disbursed in {period}", "eval_second_share": "95% disbursed in {period}",
        "eval_first_months": "18 months after the first disbursement",
        "eval_second_pending": "{share} disbursed so far", "eval_due": "due", "eval_not_due": "not yet due",
        "summary": "In {period} the project executed {currency} {period_amount}; {cumulative} has been executed "
                   "to date, {pct} of the total budget of {budget}. The MIF has disbursed {disbursed}. {pari}",
        "pari_ok": "The counterpart keeps pace with the MIF (pari passu): {share} of execution against the agreed "
                   "{agreed}.",
        "pari_behind": "The counterpart is behind pari passu: {share} of execution against the agreed {agreed}; "
                       "{currency} {owed} of counterpart spending would restore the agreed share.",
        "pari_none": "No execution has been recorded yet, so pari passu cannot be assessed.",
        "pari_single": "The MIF funds the whole budget: there is no counterpart, so pari passu does not apply.",
        "pari_status_ok": "in line", "pari_status_behind": "behind", "pari_status_ahead": "ahead",
        "overspent_none": "No line has been executed above its budget.",
        "local_rule_disbursement": "at the rate of the latest MIF disbursement received (the local currency "
                                   "credited over the funds received)",
        "local_rule_monthly": "at the month's rate of the project's table of monthly rates",
        "local_rule_entry": "at the rate of the day recorded with each payment",
        "local_text": "Spending paid in {local} is converted into {currency} {rule}, as the agreement provides. "
                      "To the end of {period}: {local} {local_amount}, that is {currency} {converted}, included in "
                      "every figure of this report.",
        "local_difference": "Exchange difference on the MIF's funds (spending reported at the agreement's rate "
                            "less the same spending at the rate of the disbursement that funded it): {currency} "
                            "{difference}, {meaning}.",
        "local_gain": "a gain", "local_loss": "a loss", "local_nil": "none",
        "local_difference_unknown": "The exchange difference cannot be computed for {local} {amount} of MIF "
                                    "spending: no disbursement before it has its amount in {local} recorded.",
        "local_unconverted": "{count} entry(ies) of {local} {amount} could not be converted (see the annex) and "
                             "are left out of the figures.",
        "overspent_some": "{count} line(s) executed above budget for a source, shown below.",
        "indicators_text": "Status at the end of project month {month}: met; on track; behind (recorded as behind "
                           "or not met before its milestone); overdue (milestone passed, not met); not yet due.",
        "no_logframe": "No logframe workbook was given, so outcomes and activities are not reported.",
        "no_data": "No data recorded.", "severity_error": "error", "severity_warning": "warning",
        "status_met": "met", "status_on_track": "on track", "status_behind": "behind",
        "status_overdue": "overdue", "status_not_yet_due": "not yet due",
        "indicator_summary": "Of the {count} indicators, at the end of project month {month}: {parts}.",
        "indicator_overdue": "Overdue (milestone passed, not met): {codes}.",
        "chart_components": "Budget and execution to date by component", "planned": "Budget",
        "executed": "Executed", "chart_cumulative": "Cumulative execution and MIF disbursements",
        "disbursed": "MIF disbursed", "budget": "Total budget", "chart_pari": "Counterpart share of execution",
        "actual": "Counterpart share", "agreed": "Agreed share", "band": "Agreed share ± tolerance",
        "chart_indicators": "Indicators by status",
    },
    "es": {
        "title_semiannual": "Informe semestral de avance",
        "title_quarterly": "Informe trimestral de gestión",
        "title_final": "Informe final",
        "draft": "BORRADOR — NO PRESENTAR",
        "draft_mark": "BORRADOR",
        "draft_reason": "Los libros aún tienen {errors} error(es) y {warnings} advertencia(s); las cifras pueden "
                        "estar erradas hasta que se corrijan. El primero: {first}. Véanse todos en el anexo.",
        "clean": "Validación al cierre del {period}. Los libros no tienen observaciones pendientes.",
        "open_findings": "Validación al cierre del {period}. Quedan {errors} error(es) y {warnings} advertencia(s) "
                         "en los libros; cada uno se indica abajo con su celda.",
        "donor": "FOMIN", "counterpart_cash": "Contrapartida, en efectivo",
        "counterpart_in_kind": "Contrapartida, en especie", "counterpart": "Contrapartida", "total": "Total",
        "contingencies": "Imprevistos", "mif_cluster_monitoring": "Monitoreo de clusters del FOMIN",
        "component": "Componente", "unknown_line": "Gasto en líneas que no están en el presupuesto",
        "kf_budget": "Presupuesto total", "kf_period": "Ejecutado en el período",
        "kf_cumulative": "Ejecutado a la fecha",
        "kf_pct": "Porcentaje del presupuesto ejecutado", "kf_disbursed": "Desembolsado por el FOMIN a la fecha",
        "kf_counterpart_share": "Participación de la contrapartida en la ejecución (acordada {agreed})",
        "kf_owed": "Contrapartida pendiente para restablecer el pari passu", "kf_overspent": "Líneas sobreejecutadas",
        "kf_indicators": "Indicadores cumplidos o en curso", "kf_findings": "Observaciones de validación pendientes",
        "figures_to": "Cifras al cierre del {period}",
        "budget_approved": "Presupuesto: el aprobado.",
        "budget_revised": "Presupuesto: según la revisión {number} del {date}.",
        "revisions_text": "El presupuesto tiene {count} revisiones registradas. {basis} Por línea, el presupuesto "
                          "aprobado, el vigente y lo ejecutado frente a él:",
        "revisions_text_one": "El presupuesto tiene una revisión registrada. {basis} Por línea, el presupuesto "
                              "aprobado, el vigente y lo ejecutado frente a él:",
        "no_approval": "ninguna", "yes": "sí", "no": "no", "not_planned": "no programado",
        "quarter_unrecorded": "El proyecto registra su gasto por semestre; el gasto del {quarter} no se registra por "
                              "separado (se indica –).",
        "unrecorded": "No hay ejecución registrada para {periods}.",
        "semester_word": "el semestre", "semesters_word": "los semestres", "no_record": "sin registro",
        "quarter_progress": "El marco lógico registra el avance por semestre: los indicadores y actividades de abajo "
                            "son los registrados al cierre del {semester}, evaluados al final del {quarter} (mes "
                            "{month} del proyecto).",
        "quarter_progress_none": "El marco lógico registra el avance por semestre y ningún semestre ha cerrado al "
                                 "final del {quarter}: aún no hay registro; los hitos se evalúan al mes {month} del "
                                 "proyecto.",
        "quarter_no_narrative": "El proyecto registra la narrativa de avance por semestre, al cierre del semestre; "
                                "ningún semestre cierra en el {quarter}, por lo que aún no hay narrativa para él.",
        "summary_to_date": "Al cierre del {last} el proyecto ha ejecutado {currency} {cumulative}, el {pct} del "
                           "presupuesto total de {budget}; su gasto en el {period} no se registra por separado. El "
                           "FOMIN ha desembolsado {disbursed}. {pari}",
        "no_comments": "No hay comentarios registrados sobre los indicadores.",
        "year": "Año {year}", "year_to_date": "a la fecha", "after_years": "Después del último año del presupuesto",
        "not_phased": "Sin distribución por año (imprevistos, líneas fuera del subtotal)",
        "fund_advance": "anticipo", "fund_replenishment": "reposición",
        "cash_on_hand": "Fondos del FOMIN al cierre del {period}: recibido {currency} {received}, menos lo gastado "
                        "con fondos del FOMIN {spent}, deja {on_hand} disponible.",
        "cash_prefinanced": "Fondos del FOMIN al cierre del {period}: recibido {currency} {received}, gastado con "
                            "fondos del FOMIN {spent}; los {on_hand} gastados por encima de lo recibido han sido "
                            "prefinanciados por el organismo ejecutor.",
        "advance_at_close": "Al cierre queda pendiente un anticipo del fondo rotatorio de {currency} {amount}: debe "
                            "justificarse con gastos elegibles o devolverse al Banco.",
        "eval_first": "Primera evaluación", "eval_second": "Segunda evaluación",
        "eval_first_rule": "Más del 50% del aporte del FOMIN desembolsado, o 18 meses desde el primer desembolso",
        "eval_second_rule": "95% del aporte del FOMIN desembolsado",
        "eval_first_share": "Más del 50% desembolsado en el {period}",
        "eval_second_share": "95% desembolsado en el {period}",
        "eval_first_months": "18 meses desde el primer desembolso",
        "eval_second_pending": "{share} desembolsado a la fecha", "eval_due": "vencida", "eval_not_due": "aún no vence",
        "summary": "En el período {period} el proyecto ejecutó {currency} {period_amount}; a la fecha se han ejecutado "
                   "{cumulative}, el {pct} del presupuesto total de {budget}. El FOMIN ha desembolsado {disbursed}. "
                   "{pari}",
        "pari_ok": "La contrapartida avanza al ritmo del FOMIN (pari passu): {share} de la ejecución frente al "
                   "{agreed} acordado.",
        "pari_behind": "La contrapartida está rezagada respecto del pari passu: {share} de la ejecución frente al "
                       "{agreed} acordado; un gasto de contrapartida de {currency} {owed} restablecería la "
                       "proporción acordada.",
        "pari_none": "Aún no se ha registrado ejecución, por lo que no puede evaluarse el pari passu.",
        "pari_single": "El FOMIN financia todo el presupuesto: no hay contrapartida, así que el pari passu no se "
                       "aplica.",
        "pari_status_ok": "en línea", "pari_status_behind": "rezagada", "pari_status_ahead": "adelantada",
        "overspent_none": "Ninguna línea se ha ejecutado por encima de su presupuesto.",
        "local_rule_disbursement": "al tipo de cambio del último desembolso del FOMIN recibido (la moneda local "
                                   "acreditada sobre los fondos recibidos)",
        "local_rule_monthly": "al tipo de cambio del mes de la tabla de tipos de cambio mensuales del proyecto",
        "local_rule_entry": "al tipo de cambio del día registrado con cada pago",
        "local_text": "El gasto pagado en {local} se convierte a {currency} {rule}, como dispone el convenio. "
                      "Hasta el final del {period}: {local} {local_amount}, es decir {currency} {converted}, "
                      "incluidos en todas las cifras de este informe.",
        "local_difference": "Diferencia cambiaria sobre los fondos del FOMIN (el gasto informado al tipo de cambio "
                            "del convenio menos el mismo gasto al tipo de cambio del desembolso que lo financió): "
                            "{currency} {difference}, {meaning}.",
        "local_gain": "una ganancia", "local_loss": "una pérdida", "local_nil": "nula",
        "local_difference_unknown": "La diferencia cambiaria no puede calcularse para {local} {amount} de gasto "
                                    "del FOMIN: ningún desembolso anterior tiene registrado su monto en {local}.",
        "local_unconverted": "{count} registro(s) por {local} {amount} no pudieron convertirse (vea el anexo) y "
                             "quedan fuera de las cifras.",
        "overspent_some": "{count} línea(s) ejecutada(s) por encima del presupuesto de una fuente, detalladas abajo.",
        "indicators_text": "Estado al final del mes {month} del proyecto: cumplido; en curso; rezagado (registrado "
                           "como atrasado o no cumplido antes de su hito); vencido (hito pasado, no cumplido); "
                           "aún no vence.",
        "no_logframe": "No se indicó el libro del marco lógico; no se informan resultados ni actividades.",
        "no_data": "Sin datos registrados.", "severity_error": "error", "severity_warning": "advertencia",
        "status_met": "cumplido", "status_on_track": "en curso", "status_behind": "rezagado",
        "status_overdue": "vencido", "status_not_yet_due": "aún no vence",
        "indicator_summary": "De los {count} indicadores, al final del mes {month} del proyecto: {parts}.",
        "indicator_overdue": "Vencidos (hito pasado, no cumplido): {codes}.",
        "chart_components": "Presupuesto y ejecución a la fecha por componente", "planned": "Presupuesto",
        "executed": "Ejecutado", "chart_cumulative": "Ejecución acumulada y desembolsos del FOMIN",
        "disbursed": "Desembolsado FOMIN", "budget": "Presupuesto total",
        "chart_pari": "Participación de la contrapartida en la ejecución",
        "actual": "Participación de la contrapartida",
        "agreed": "Participación acordada", "band": "Participación acordada ± tolerancia",
        "chart_indicators": "Indicadores por estado",
    },
}


MIF_NAMES = ("MIF", "FOMIN")
# How the texts above name the MIF, and how they name another donor (Spanish needs its article dropped).
DONOR_PHRASES = {
    "en": ((r"\bMIF\b", "{name}"),),
    "es": ((r"\bdel FOMIN\b", "de {name}"), (r"\bEl FOMIN\b", "{name}"), (r"\bFOMIN\b", "{name}")),
}


def words(lang: str, donor: str = "MIF") -> dict[str, str]:
    """The report's fixed texts in `lang`, naming the project's donor.  The texts are written for the MIF;
    another donor's name takes its place."""
    if donor in MIF_NAMES:
        return TEXT[lang]
    out = {}
    for key, text in TEXT[lang].items():
        for pattern, replacement in DONOR_PHRASES[lang]:
            text = re.sub(pattern, lambda _, r=replacement: r.format(name=donor), text)
        out[key] = text
    return out
