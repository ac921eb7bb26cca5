"""PL/pgSQL triggers that keep the training tables honest whatever writes to them.

Services check the same rules first and answer with a clear message; these triggers are
the backstop for bulk and raw-SQL writes (REGULATIONS: legal records are never edited in
place). Errors use SQLSTATE class 23 so that Django raises IntegrityError.
"""

# Trigger SQL is assembled from table-name constants, never from input.
# ruff: noqa: S608

import pgtrigger

PROGRAM_TABLE = "training_program"
MODULE_TABLE = "training_module"
CLASS_TABLE = "training_homeroomclass"
SECTION_TABLE = "training_section"
SECTION_CLASS_TABLE = "training_sectionclass"
ENROLLMENT_TABLE = "enrollment_enrollment"

PROGRAM_IN_USE_SQLSTATE = "23001"  # restrict_violation
MISMATCH_SQLSTATE = "23514"  # check_violation


def frozen_with_program(name: str, *, program_of: str) -> pgtrigger.Trigger:
    """Refuse any insert, update or delete of a row whose program version is in use.

    `program_of` is an SQL expression giving the program id of the row `{row}` (the
    placeholder is replaced by OLD or NEW).
    """
    old, new = program_of.format(row="OLD"), program_of.format(row="NEW")
    func = f"""
        IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
            SELECT 1 FROM {PROGRAM_TABLE} WHERE id = {old} AND is_locked
        ) OR TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
            SELECT 1 FROM {PROGRAM_TABLE} WHERE id = {new} AND is_locked
        ) THEN
            RAISE EXCEPTION 'training: % on % refused: the program version is in use '
                            '(make a new version instead)', TG_OP, TG_TABLE_NAME
                USING ERRCODE = '{PROGRAM_IN_USE_SQLSTATE}';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    """
    return pgtrigger.Trigger(
        name=name, level=pgtrigger.Row, when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete, func=func,
    )


def lock_programs(name: str, *, program_ids: str,
                  operation=pgtrigger.Insert) -> pgtrigger.Trigger:
    """After rows that put a program version in use are written, lock those versions.

    `program_ids` is a SELECT over the transition table `new_rows`. A draft version cannot
    be locked (check constraint), so this also refuses classes and sections of drafts.
    """
    func = f"""
        UPDATE {PROGRAM_TABLE} SET is_locked = TRUE
        WHERE NOT is_locked AND id IN ({program_ids});
        RETURN NULL;
    """
    return pgtrigger.Trigger(
        name=name, level=pgtrigger.Statement, when=pgtrigger.After,
        operation=operation, referencing=pgtrigger.Referencing(new="new_rows"), func=func,
    )


def refuse_if_any(name: str, *, operation, bad_rows: str, message: str) -> pgtrigger.Trigger:
    """A statement-level check: raise when the SELECT `bad_rows` over `new_rows` finds one."""
    func = f"""
        IF EXISTS ({bad_rows}) THEN
            RAISE EXCEPTION 'training: {message}' USING ERRCODE = '{MISMATCH_SQLSTATE}';
        END IF;
        RETURN NULL;
    """
    return pgtrigger.Trigger(
        name=name, level=pgtrigger.Statement, when=pgtrigger.After, operation=operation,
        referencing=pgtrigger.Referencing(new="new_rows"), func=func,
    )
