"""seed_demo's quality part (vetschool.demo discovers it after the apps it reads)."""

from quality import demo_history, demo_tracking


def seed() -> None:
    demo_history.seed()
    demo_tracking.seed()
