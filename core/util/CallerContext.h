#pragma once

#include <QCoreApplication>
#include <QMetaObject>
#include <QObject>
#include <QPointer>

#include <utility>

namespace keyway {

// The QObject an asynchronous call answers on behalf of, or none. A caller that passes a context wants no answer
// once that object is gone (a closed dialog, a cancelled run); a caller without one always gets its answer.
class CallerContext
{
public:
    explicit CallerContext(QObject* context) : m_context(context), m_hasContext(context != nullptr) { }

    // Whether the answer is still wanted.
    bool wantsAnswer() const { return !m_hasContext || !m_context.isNull(); }

    // Runs done(value) from the event loop, never inside the call that produced it: an answer from a cache
    // reaches the caller the same way as one from the network, after the call has returned.
    template <typename Callback, typename Value>
    void answerLater(Callback done, Value value) const
    {
        QObject* target = m_context ? m_context.data() : QCoreApplication::instance();
        QMetaObject::invokeMethod(
            target,
            [self = *this, done = std::move(done), value = std::move(value)] {
                if (self.wantsAnswer()) {
                    done(value);
                }
            },
            Qt::QueuedConnection);
    }

private:
    QPointer<QObject> m_context;
    bool m_hasContext;
};

} // namespace keyway
