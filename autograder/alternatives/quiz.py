"""Correct quiz answers written in other accepted forms."""

from autograder.mutants.variant import variants

ALTERNATIVES = variants("quiz", [
    ("letter_styles", 'letters as "C", " d) ", "(a)", "B."; numbers as floats rounded within the tolerance', '''
        q01 = "C"
        q02 = -1.0
        q03 = " d) "
        q04 = "(a)"
        q05 = 2410.0
        q06 = "B."
        q07 = "c)"
        q11 = 32.0
        q16 = 0.915
        q18 = 0.223
        q19 = 0.02790
    '''),
    ("computed", "numeric answers computed with math and NumPy (NumPy scalars), letters upper case", '''
        import math
        import numpy as np

        q02 = 4 * -1 + 1 * 2 + 1
        q05 = (64 * 32 + 32) + (32 * 10 + 10)
        q11 = math.ceil(1000 / 32)
        q16 = np.exp(5) / np.sum(np.exp(np.array([5, 2.5, 0.5])))
        q18 = -np.log(0.8)
        q19 = np.sum((np.array([0, 1, 0, 0]) - np.array([0.1, 0.8, 0.07, 0.03])) ** 2) / 2
        q08 = q08.upper()
        q21 = q21.upper()
    '''),
])
