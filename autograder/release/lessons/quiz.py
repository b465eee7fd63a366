# %% [markdown]
# # 6. Quiz
#
# Answer each question in the cell below it by setting the variable with the question's name:
# a letter as a string for a multiple-choice question (e.g. `"a"`), a number for a numeric one.
# Numbers are accepted within a small tolerance; work them out by hand or with a few lines of
# Python, and do not round more than the question asks. The visible check at the end only tells
# whether every answer has the right form; whether it is right is graded when you hand in.

# %% nn101: quiz
