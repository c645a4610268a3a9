// A JSON pointer (first line) and a reply body (the rest), as a profile's captures and success rules
// read them: the value as text, the verdict of a rule on that pointer, the hint for it.
#include "core/flow/ReplyJudge.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    const qsizetype newline = input.indexOf('\n');
    const QString pointer = QString::fromUtf8(newline < 0 ? input : input.left(newline));
    const QByteArray body = newline < 0 ? QByteArray() : input.mid(newline + 1);

    if (const auto doc = keyway::ReplyJudge::parseJson(body)) {
        (void)keyway::ReplyJudge::textAt(*doc, pointer);
    }
    keyway::SuccessRule rule;
    rule.codePointer = pointer;
    rule.codeEquals = QStringLiteral("0");
    rule.messagePointer = pointer;
    rule.nonEmpty = {pointer};
    const keyway::Verdict verdict = keyway::ReplyJudge::judge(rule, 200, body);
    keyway::ProviderProfile profile;
    (void)keyway::ReplyJudge::hintFor(profile, QStringLiteral("api"), verdict);
    return 0;
}
