"""Asking the quiz's questions on a terminal, one by one, with Rich prompts."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import NamedTuple, TextIO

from rich.console import Console
from rich.prompt import InvalidResponse, Prompt
from rich.text import Text, TextType

from fwpick.recommend.quiz import Question


class ChoicePrompt(Prompt):
    """Accepts any case and a unique prefix ("r" for required)."""

    def __init__(self, question: Question, label: Text, console: Console) -> None:
        super().__init__(label, console=console, choices=list(question.choices))
        self.question = question

    @classmethod
    def get_input(
        cls, console: Console, prompt: TextType, password: bool, stream: TextIO | None = None
    ) -> str:
        """Read the answer with line editing, even when stdout goes to a file.

        Python's input() edits lines with readline only while file descriptors
        0 and 1 are both terminals; the quiz prints on stderr so that
        ``--format json > file`` works, so for the read alone descriptor 1 is
        pointed at the terminal on 2 (readline echoes there), then put back.
        """
        if stream is not None or password:
            return super().get_input(console, prompt, password, stream)
        console.print(prompt, end="")
        if os.isatty(1) or not (os.isatty(0) and os.isatty(2)):
            return input()
        saved = os.dup(1)
        try:
            os.dup2(2, 1)
            return input()
        finally:
            os.dup2(saved, 1)
            os.close(saved)

    def process_response(self, value: str) -> str:
        choice = self.question.match(value, allow_prefix=True)
        meaning = self.question.yes_no_meaning(value)
        if choice is not None and meaning:
            self.console.print(Text(f"({value.strip()} = {meaning})", style="dim"))
        if choice is None:
            options = ", ".join(self.question.choices)
            default = self.question.default
            raise InvalidResponse(
                Text(f"Please answer one of {options}, or press Enter for {default}.", "red")
            )
        return choice


def _line_editing() -> None:
    """Arrow keys, Backspace and history in the answers, where the platform has readline."""
    # Importing readline is what turns editing on for input(); Windows has none.
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401


class Flow(NamedTuple):
    """How the quiz moves on: the next question to ask, and when the rest cannot matter.

    ``next`` gets every answer known so far and returns the question to ask
    (None: ask in the order given); ``settled`` returns the name of the
    framework that leads whatever the unanswered questions get, else None.
    """

    next: Callable[[dict[str, str]], Question | None]
    settled: Callable[[dict[str, str]], str | None]


def ask(
    questions: tuple[Question, ...],
    console: Console,
    excluded_by: Callable[[str, str], int] | None = None,
    flow: Flow | None = None,
    known: dict[str, str] | None = None,
) -> dict[str, str]:
    """Ask the questions in turn; Enter takes a question's default.

    ``excluded_by(question id, answer)`` says how many frameworks a
    hard-constraint answer (``required``, a must-have) would exclude; the
    first time such an answer excludes any, the quiz says so.  With a
    ``flow``, the next question is the one it picks, and the quiz stops as
    soon as the remaining questions cannot change the answer (they take
    their defaults, which is said).  ``known`` are the answers given
    otherwise (flags, a file).  KeyboardInterrupt and EOFError propagate:
    what they mean for the exit code is the command line's business.
    """
    _line_editing()
    console.print(Text("Enter takes the default (in parentheses); Ctrl-C quits.", style="dim"))
    answers: dict[str, str] = {}
    everything = dict(known or {})
    remaining = list(questions)
    total = len(remaining)
    warned = False
    # The answers given otherwise may settle it before any question.
    leader = flow.settled(everything) if flow is not None else None
    while remaining and leader is None:
        question = remaining[0]
        if flow is not None:
            picked = flow.next(everything)
            if picked is not None and picked in remaining:
                question = picked
        remaining.remove(question)
        number = total - len(remaining)
        label = Text(f"({number}/{total}) ", style="dim")
        label.append(question.prompt, style="bold")
        answer = ChoicePrompt(question, label, console)(default=question.default)
        answers[question.id] = everything[question.id] = answer
        if answer in question.hard and excluded_by is not None and not warned:
            count = excluded_by(question.id, answer)
            if count:
                warned = True
                frameworks = "framework" if count == 1 else "frameworks"
                weighs = " (preferred only weighs it)" if answer == "required" else ""
                console.print(
                    Text(
                        f"{answer} is a hard constraint: it excludes {count} {frameworks}"
                        f" that do not meet it{weighs}.",
                        style="yellow",
                    )
                )
        leader = flow.settled(everything) if flow is not None and remaining else None
    if leader is not None and remaining:
        rest = "question" if len(remaining) == 1 else f"{len(remaining)} questions"
        console.print(
            Text(
                f"{leader} leads clearly whatever the remaining {rest} get, so the quiz"
                " stops here; they take their defaults.",
                style="green",
            )
        )
        for q in remaining:
            answers[q.id] = q.default
    return answers
