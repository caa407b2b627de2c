package dev.atelier.provider.standin;

import java.io.ByteArrayOutputStream;

/**
 * The smallest standard H.264 encoder we could write without a library: Constrained Baseline
 * profile, level 2.0, CAVLC, 4:2:0, frame size a multiple of 16. Key frames are IDR pictures made
 * of I_PCM macroblocks (the raw samples, no prediction, no transform); the frames in between are P
 * pictures whose macroblocks are all skipped (a copy of the previous picture). Every decoder must
 * support both, so browsers play the result.
 */
final class H264 {
  static final int PROFILE_BASELINE = 66;

  /** constraint_set0_flag and constraint_set1_flag: Constrained Baseline. */
  static final int CONSTRAINT_FLAGS = 0xC0;

  static final int LEVEL = 20;

  private static final int NAL_SLICE = 1;
  private static final int NAL_IDR = 5;
  private static final int NAL_SPS = 7;
  private static final int NAL_PPS = 8;
  private static final int MB_TYPE_I_PCM = 25;
  private static final int SLICE_TYPE_P_ALL = 5;
  private static final int SLICE_TYPE_I_ALL = 7;
  private static final int LOG2_MAX_FRAME_NUM = 4;

  private final int widthMbs;
  private final int heightMbs;

  H264(int width, int height) {
    if (width % 16 != 0 || height % 16 != 0 || width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "frame size must be a positive multiple of 16: " + width + "x" + height);
    }
    this.widthMbs = width / 16;
    this.heightMbs = height / 16;
  }

  /** The sequence parameter set NAL unit (no start code). */
  byte[] sps() {
    BitWriter w =
        new BitWriter()
            .u(8, PROFILE_BASELINE)
            .u(8, CONSTRAINT_FLAGS)
            .u(8, LEVEL)
            .ue(0) // seq_parameter_set_id
            .ue(LOG2_MAX_FRAME_NUM - 4)
            .ue(2) // pic_order_cnt_type 2: output order = decoding order
            .ue(1) // max_num_ref_frames
            .flag(false) // gaps_in_frame_num_value_allowed_flag
            .ue(widthMbs - 1)
            .ue(heightMbs - 1)
            .flag(true) // frame_mbs_only_flag
            .flag(true) // direct_8x8_inference_flag
            .flag(false) // frame_cropping_flag
            .flag(false) // vui_parameters_present_flag
            .trailingBits();
    return nal(3, NAL_SPS, w.toByteArray());
  }

  /** The picture parameter set NAL unit (no start code). */
  byte[] pps() {
    BitWriter w =
        new BitWriter()
            .ue(0) // pic_parameter_set_id
            .ue(0) // seq_parameter_set_id
            .flag(false) // entropy_coding_mode_flag: CAVLC
            .flag(false) // bottom_field_pic_order_in_frame_present_flag
            .ue(0) // num_slice_groups_minus1
            .ue(0) // num_ref_idx_l0_default_active_minus1
            .ue(0) // num_ref_idx_l1_default_active_minus1
            .flag(false) // weighted_pred_flag
            .u(2, 0) // weighted_bipred_idc
            .se(0) // pic_init_qp_minus26
            .se(0) // pic_init_qs_minus26
            .se(0) // chroma_qp_index_offset
            .flag(false) // deblocking_filter_control_present_flag
            .flag(false) // constrained_intra_pred_flag
            .flag(false) // redundant_pic_cnt_present_flag
            .trailingBits();
    return nal(3, NAL_PPS, w.toByteArray());
  }

  /**
   * An IDR picture from planar 4:2:0 samples ({@code y}: width×height, {@code cb}/{@code cr}: half
   * that each way). Consecutive IDR pictures must carry different {@code idrPicId}s.
   */
  byte[] idr(byte[] y, byte[] cb, byte[] cr, int idrPicId) {
    int width = widthMbs * 16;
    BitWriter w =
        new BitWriter()
            .ue(0) // first_mb_in_slice
            .ue(SLICE_TYPE_I_ALL)
            .ue(0) // pic_parameter_set_id
            .u(LOG2_MAX_FRAME_NUM, 0) // frame_num: 0 for an IDR picture
            .ue(idrPicId)
            .flag(false) // dec_ref_pic_marking: no_output_of_prior_pics_flag
            .flag(false) // long_term_reference_flag
            .se(0); // slice_qp_delta
    for (int mbY = 0; mbY < heightMbs; mbY++) {
      for (int mbX = 0; mbX < widthMbs; mbX++) {
        w.ue(MB_TYPE_I_PCM).alignWithZeros();
        byte[] samples = new byte[256 + 64 + 64];
        for (int row = 0; row < 16; row++) {
          System.arraycopy(y, (mbY * 16 + row) * width + mbX * 16, samples, row * 16, 16);
        }
        for (int row = 0; row < 8; row++) {
          System.arraycopy(cb, (mbY * 8 + row) * (width / 2) + mbX * 8, samples, 256 + row * 8, 8);
          System.arraycopy(cr, (mbY * 8 + row) * (width / 2) + mbX * 8, samples, 320 + row * 8, 8);
        }
        w.bytes(samples);
      }
    }
    w.trailingBits();
    return nal(3, NAL_IDR, w.toByteArray());
  }

  /** A reference P picture that repeats the previous one: every macroblock skipped. */
  byte[] repeat(int frameNum) {
    BitWriter w =
        new BitWriter()
            .ue(0) // first_mb_in_slice
            .ue(SLICE_TYPE_P_ALL)
            .ue(0) // pic_parameter_set_id
            .u(LOG2_MAX_FRAME_NUM, frameNum % (1 << LOG2_MAX_FRAME_NUM))
            .flag(false) // num_ref_idx_active_override_flag
            .flag(false) // ref_pic_list_modification_flag_l0
            .flag(false) // dec_ref_pic_marking: adaptive_ref_pic_marking_mode_flag (sliding window)
            .se(0) // slice_qp_delta
            .ue((long) widthMbs * heightMbs) // mb_skip_run: the whole picture
            .trailingBits();
    return nal(2, NAL_SLICE, w.toByteArray());
  }

  /** NAL header + payload with emulation prevention (00 00 0x, x ≤ 3, becomes 00 00 03 0x). */
  static byte[] nal(int refIdc, int type, byte[] rbsp) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(rbsp.length + rbsp.length / 64 + 2);
    out.write((refIdc << 5) | type);
    int zeros = 0;
    for (byte b : rbsp) {
      int v = b & 0xFF;
      if (zeros >= 2 && v <= 3) {
        out.write(3);
        zeros = 0;
      }
      out.write(v);
      zeros = v == 0 ? zeros + 1 : 0;
    }
    return out.toByteArray();
  }
}
