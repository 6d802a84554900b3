// SPDX-License-Identifier: MIT
#include "TrayIcons.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace {

QPixmap draw(int size, BridgeController::State state)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const qreal s = size;
    const QRectF disc(s * 0.06, s * 0.06, s * 0.88, s * 0.88);
    QColor fill;
    switch (state) {
    case BridgeController::State::Serving:
        fill = QColor(0x1e, 0x9e, 0x4a);
        break;
    case BridgeController::State::Error:
        fill = QColor(0xd9, 0x30, 0x25);
        break;
    case BridgeController::State::Stopped:
        fill = QColor(0x6b, 0x72, 0x80);
        break;
    }
    // Light halo (visible on dark panels), then the disc with a dark rim (visible on light ones).
    const qreal ring = qMax(1.5, s * 0.08);
    p.setPen(QPen(QColor(255, 255, 255, 230), ring));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(disc);
    p.setPen(QPen(QColor(0, 0, 0, 200), ring));
    p.setBrush(fill);
    p.drawEllipse(disc.adjusted(ring * 0.9, ring * 0.9, -ring * 0.9, -ring * 0.9));

    p.setPen(Qt::NoPen);
    p.setBrush(Qt::white);
    switch (state) {
    case BridgeController::State::Serving: {
        // Play triangle: traffic flows.
        QPainterPath path;
        path.moveTo(s * 0.40, s * 0.30);
        path.lineTo(s * 0.72, s * 0.50);
        path.lineTo(s * 0.40, s * 0.70);
        path.closeSubpath();
        p.drawPath(path);
        break;
    }
    case BridgeController::State::Stopped:
        // Pause bars.
        p.drawRoundedRect(QRectF(s * 0.34, s * 0.30, s * 0.11, s * 0.40), s * 0.03, s * 0.03);
        p.drawRoundedRect(QRectF(s * 0.55, s * 0.30, s * 0.11, s * 0.40), s * 0.03, s * 0.03);
        break;
    case BridgeController::State::Error:
        // Exclamation mark.
        p.drawRoundedRect(QRectF(s * 0.445, s * 0.24, s * 0.11, s * 0.34), s * 0.04, s * 0.04);
        p.drawEllipse(QRectF(s * 0.44, s * 0.63, s * 0.12, s * 0.12));
        break;
    }
    return pixmap;
}

} // namespace

QIcon TrayIcons::forState(BridgeController::State state)
{
    QIcon icon;
    for (const int size : {16, 22, 24, 32, 48, 64, 128})
        icon.addPixmap(draw(size, state));
    return icon;
}

QIcon TrayIcons::application()
{
    return forState(BridgeController::State::Serving);
}
