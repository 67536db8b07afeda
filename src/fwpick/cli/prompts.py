"""Asking the quiz's questions on a terminal, one by one, with Rich prompts."""

from __future__ import annotations

from rich.console import Console
from rich.prompt import InvalidResponse, Prompt
from rich.text import Text

from fwpick.recommend.quiz import Question


class ChoicePrompt(Prompt):
    """Accepts any case and a unique prefix ("r" for required)."""

    def __init__(self, question: Question, label: Text, console: Console) -> None:
        super().__init__(label, console=console, choices=list(question.choices))
        self.question = question

    def process_response(self, value: str) -> str:
        choice = self.question.match(value, allow_prefix=True)
        if choice is None:
            options = ", ".join(self.question.choices)
            default = self.question.default
            raise InvalidResponse(
                Text(f"Please answer one of {options}, or press Enter for {default}.", "red")
            )
        return choice


def ask(questions: tuple[Question, ...], console: Console) -> dict[str, str]:
    """Ask each question in turn; Enter takes its default.

    KeyboardInterrupt and EOFError propagate: what they mean for the exit code
    is the command line's business.
    """
    console.print(Text("Enter takes the default (in parentheses); Ctrl-C quits.", style="dim"))
    answers: dict[str, str] = {}
    for number, question in enumerate(questions, 1):
        label = Text(f"({number}/{len(questions)}) ", style="dim")
        label.append(question.prompt, style="bold")
        answers[question.id] = ChoicePrompt(question, label, console)(default=question.default)
    return answers
