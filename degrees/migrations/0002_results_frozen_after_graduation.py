"""Results a graduation decision relied on are frozen: once an enrolment is graduated, its
study rounds, module results, semester summaries and exemptions cannot change, and no
amendment of its scores can be approved (REGULATIONS: legal records are never edited in
place). The degrees service refuses first with a clear message; these triggers are the
backstop for any other writer (bulk updates, raw SQL). SQLSTATE 23514 → IntegrityError.
"""

from django.db import migrations

RESULT_TABLES = ["training_learnerround", "training_moduleresult", "training_termsummary",
                 "training_moduleexemption"]

FUNCTION = """
CREATE OR REPLACE FUNCTION degrees_results_frozen() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
  IF TG_OP = 'UPDATE'
     AND (to_jsonb(OLD) - 'computed_at') = (to_jsonb(NEW) - 'computed_at') THEN
    RETURN NEW;  -- a recomputation that changes nothing
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
       SELECT 1 FROM enrollment_enrollment WHERE id = OLD.enrollment_id AND status = 'graduated')
     OR TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
       SELECT 1 FROM enrollment_enrollment WHERE id = NEW.enrollment_id AND status = 'graduated')
  THEN
    RAISE EXCEPTION 'degrees: % on % refused: the results of a graduated enrolment are frozen '
                    'by its graduation decision', TG_OP, TG_TABLE_NAME
      USING ERRCODE = '23514';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END
$body$;

CREATE OR REPLACE FUNCTION degrees_amendment_frozen() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
  IF NEW.status = 'approved' AND EXISTS (
       SELECT 1 FROM training_sectionlearner sl
       JOIN enrollment_enrollment e ON e.id = sl.enrollment_id
       WHERE sl.id = NEW.section_learner_id AND e.status = 'graduated')
  THEN
    RAISE EXCEPTION 'degrees: amendment refused: the learner has graduated and the results '
                    'the graduation decision relied on are frozen'
      USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END
$body$;
"""

TRIGGERS = "\n".join(
    f"CREATE TRIGGER degrees_results_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
    f"FOR EACH ROW EXECUTE FUNCTION degrees_results_frozen();"
    for table in RESULT_TABLES
) + """
CREATE TRIGGER degrees_amendment_frozen BEFORE INSERT OR UPDATE ON training_amendment
FOR EACH ROW EXECUTE FUNCTION degrees_amendment_frozen();
"""

REVERSE = "\n".join(
    f"DROP TRIGGER IF EXISTS degrees_results_frozen ON {table};" for table in RESULT_TABLES
) + """
DROP TRIGGER IF EXISTS degrees_amendment_frozen ON training_amendment;
DROP FUNCTION IF EXISTS degrees_results_frozen();
DROP FUNCTION IF EXISTS degrees_amendment_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("degrees", "0001_review_decision_register"),
        ("training", "0003_assessment_and_results"),
    ]

    operations = [migrations.RunSQL(FUNCTION + TRIGGERS, REVERSE)]
