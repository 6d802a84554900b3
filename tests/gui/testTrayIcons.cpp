// SPDX-License-Identifier: MIT
// The three state icons are distinct and read on light and dark panels: composited onto white
// and onto near-black, each keeps a clear outline and its own colour.

#include "TrayIcons.h"

#include <QPainter>
#include <QTest>

class TestTrayIcons : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readableOnLightAndDarkPanels_data();
    void readableOnLightAndDarkPanels();
    void statesDiffer();

private:
    static QImage onPanel(const QIcon &icon, int size, QColor panel);
};

QImage TestTrayIcons::onPanel(const QIcon &icon, int size, QColor panel)
{
    QImage image(size, size, QImage::Format_RGB32);
    image.fill(panel);
    QPainter p(&image);
    icon.paint(&p, image.rect());
    return image;
}

namespace {
int distance(QRgb a, QRgb b)
{
    return qAbs(qRed(a) - qRed(b)) + qAbs(qGreen(a) - qGreen(b)) + qAbs(qBlue(a) - qBlue(b));
}
} // namespace

void TestTrayIcons::readableOnLightAndDarkPanels_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<QColor>("panel");
    for (const auto &[name, state] : {std::pair{"stopped", BridgeController::State::Stopped},
                                      std::pair{"serving", BridgeController::State::Serving},
                                      std::pair{"error", BridgeController::State::Error}}) {
        QTest::addRow("%s on light", name) << int(state) << QColor(0xf5, 0xf5, 0xf5);
        QTest::addRow("%s on dark", name) << int(state) << QColor(0x20, 0x20, 0x20);
    }
}

void TestTrayIcons::readableOnLightAndDarkPanels()
{
    QFETCH(int, state);
    QFETCH(QColor, panel);
    for (const int size : {16, 22, 32}) {
        const QImage image =
            onPanel(TrayIcons::forState(BridgeController::State(state)), size, panel);
        const bool darkPanel = panel.lightness() < 128;
        int contrasting = 0;
        int outline = 0;
        for (int y = 0; y < size; ++y) {
            for (int x = 0; x < size; ++x) {
                const QRgb pixel = image.pixel(x, y);
                contrasting += distance(pixel, panel.rgb()) > 120 ? 1 : 0;
                const int sum = qRed(pixel) + qGreen(pixel) + qBlue(pixel);
                // The rim: dark pixels on a light panel, light ones (halo, glyph) on a dark one.
                outline += (darkPanel ? sum > 550 : sum < 200) ? 1 : 0;
            }
        }
        // Most of the disc stands out from the panel, and an outline frames it.
        QVERIFY2(contrasting > size * size / 3, qPrintable(QString::number(contrasting)));
        QVERIFY2(outline > size, qPrintable(QString::number(outline)));
    }
}

void TestTrayIcons::statesDiffer()
{
    const QPoint centre(8, 16); // inside the disc, off the glyph
    const QColor white(Qt::white);
    const QRgb stopped =
        onPanel(TrayIcons::forState(BridgeController::State::Stopped), 32, white).pixel(centre);
    const QRgb serving =
        onPanel(TrayIcons::forState(BridgeController::State::Serving), 32, white).pixel(centre);
    const QRgb error =
        onPanel(TrayIcons::forState(BridgeController::State::Error), 32, white).pixel(centre);
    QVERIFY(distance(stopped, serving) > 100);
    QVERIFY(distance(serving, error) > 100);
    QVERIFY(distance(stopped, error) > 100);
    QVERIFY(qGreen(serving) > qRed(serving));
    QVERIFY(qRed(error) > qGreen(error));
}

QTEST_MAIN(TestTrayIcons)
#include "testTrayIcons.moc"
