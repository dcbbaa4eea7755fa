"""Reading one-time codes back from a stack's messages: only a code message yields a code."""

from instapay_stack.message_sinks import code_in


def test_a_code_message_yields_its_code_in_either_language():
    assert code_in("Your InstaPay verification code is 123456. It expires in ten minutes.") == "123456"
    assert code_in("رمز التحقق الخاص بك في إنستاباي هو 654321. تنتهي صلاحيته خلال عشر دقائق.") == "654321"


def test_a_welcome_whose_handle_holds_six_digits_is_not_a_code():
    # It races the code e-mail into the sink: taking its digits verified nothing (a CI failure).
    assert code_in("Hello Test User, your account @u.a123456bcd is ready.") is None


def test_amounts_and_longer_numbers_are_not_codes():
    assert code_in("Your code for EGP 123456.00 to +201012345678") is None
